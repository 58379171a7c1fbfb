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

  it('runs one asynchronous commit at a time, gathering what arrives meanwhile into the next', async () => {
    const commits: number[][] = [];
    let underWay = 0;
    let mostUnderWay = 0;
    const group = new GroupCommit<number>(async (items) => {
      commits.push([...items]);
      mostUnderWay = Math.max(mostUnderWay, (underWay += 1));
      await new Promise((resolve) => setTimeout(resolve, 20));
      underWay -= 1;
    });
    const settledFirst: number[] = [];
    const first = group.add(1).then(() => settledFirst.push(Date.now()));
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((n) => group.add(n));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settledFirst).toEqual([]);
    await Promise.all([first, ...rest]);
    expect(commits).toEqual([[1], [2, 3, 4]]);
    expect(mostUnderWay).toBe(1);
  });

  it('drains: waits for the commit under way and commits what is still pending', async () => {
    const committed: number[] = [];
    const group = new GroupCommit<number>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      committed.push(...items);
    });
    const writes = [group.add(1)];
    await new Promise((resolve) => setImmediate(resolve));
    writes.push(group.add(2));
    await group.drain();
    expect(committed).toEqual([1, 2]);
    await Promise.all(writes);
  });

  it('rejects every caller of an asynchronous commit that fails', async () => {
    const group = new GroupCommit<number>(async () => {
      throw new Error('writer thread gone');
    });
    await expect(Promise.all([group.add(1), group.add(2)])).rejects.toThrow('writer thread gone');
  });
});
