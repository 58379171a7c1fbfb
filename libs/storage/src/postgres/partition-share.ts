/** What a node sees of the partitions in one round of its ownership loop. */
export interface PartitionView {
  /** Partitions in all (patients are hashed into them). */
  readonly partitions: number;
  /** Nodes alive now, this one included. */
  readonly liveNodes: number;
  /** Partitions this node holds. */
  readonly held: readonly number[];
  /** Partitions nobody holds: never taken, released, or lapsed. */
  readonly free: readonly number[];
}

/** A node's fair share: the partitions spread over the live nodes, rounded up. */
export function fairShare(partitions: number, liveNodes: number): number {
  return Math.ceil(partitions / Math.max(1, liveNodes));
}

/**
 * What the node does this round: take free partitions up to its fair share, or give back what
 * it holds beyond it (the highest first) so that a node that joined can take them. Pure.
 */
export function rebalance(view: PartitionView): { take: number[]; release: number[] } {
  const share = fairShare(view.partitions, view.liveNodes);
  if (view.held.length > share)
    return {
      take: [],
      release: [...view.held].sort((a, b) => b - a).slice(0, view.held.length - share),
    };
  return {
    take: [...view.free].sort((a, b) => a - b).slice(0, share - view.held.length),
    release: [],
  };
}
