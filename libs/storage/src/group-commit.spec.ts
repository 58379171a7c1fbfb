// Proves the group commit gathers writes into few commits under load and settles every caller.
import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('commits a lone write without waiting out the interval', async () => {
    const commits: number[][] = [];
    // Were the first write held for the interval, this test would time out.
    const group = new GroupCommit<number>((items) => void commits.push([...items]), 600_000);
    await group.add(1);
    expect(commits).toEqual([[1]]);
  });

  it('gathers a burst into few commits, at least the interval apart, and settles every caller', async () => {
    const commits: number[][] = [];
    const group = new GroupCommit<number>((items) => void commits.push([...items]), 20);
    await group.add(1);
    const burst: Promise<void>[] = [];
    for (let i = 2; i <= 200; i++) {
      burst.push(group.add(i));
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(burst);
    expect(commits.flat()).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(commits.length).toBeLessThanOrEqual(3);
  });

  it('rejects every caller of a failed commit', async () => {
    const group = new GroupCommit<number>(() => {
      throw new Error('disk full');
    });
    await expect(Promise.all([group.add(1), group.add(2)])).rejects.toThrow('disk full');
  });
});
