// Proves the group commit gathers writes into few commits under load and settles every caller.
import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('commits a lone write on the next turn, and gathers a burst into commits at least 20 ms apart', async () => {
    const commits: number[][] = [];
    const group = new GroupCommit<number>((items) => void commits.push([...items]), 20);
    const startedAt = Date.now();
    await group.add(1);
    expect(Date.now() - startedAt).toBeLessThan(15);
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
