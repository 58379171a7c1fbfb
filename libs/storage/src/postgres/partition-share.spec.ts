import { fairShare, rebalance } from './partition-share';

describe('rebalance', () => {
  it('takes free partitions up to the fair share, lowest first', () => {
    expect(fairShare(16, 3)).toBe(6);
    expect(
      rebalance({ partitions: 16, liveNodes: 3, held: [0, 1], free: [9, 4, 7, 12, 15] }),
    ).toEqual({
      take: [4, 7, 9, 12],
      release: [],
    });
  });

  it('gives back what it holds beyond the share when a node joins, highest first', () => {
    const held = Array.from({ length: 16 }, (_, index) => index);
    expect(rebalance({ partitions: 16, liveNodes: 2, held, free: [] })).toEqual({
      take: [],
      release: [15, 14, 13, 12, 11, 10, 9, 8],
    });
  });

  it('takes everything when alone, and nothing when its share is full', () => {
    expect(rebalance({ partitions: 4, liveNodes: 1, held: [], free: [0, 1, 2, 3] }).take).toEqual([
      0, 1, 2, 3,
    ]);
    expect(rebalance({ partitions: 4, liveNodes: 2, held: [0, 1], free: [2, 3] })).toEqual({
      take: [],
      release: [],
    });
  });
});
