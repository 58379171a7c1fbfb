import type { Pool } from 'pg';
import { PartitionLeases, type PartitionLease } from './partition-leases';
import { createSchemaOnce } from './transactions';
import { rebalance } from './partition-share';

export interface PartitionOwnershipOptions {
  readonly node: string;
  readonly partitions: number;
  /** A lease not renewed for this long lapses, and another node may take its partition. */
  readonly leaseMs: number;
  /** The node gained a partition: start acting for its patients (restore their state). */
  readonly gained: (lease: PartitionLease) => void;
  /** The node must stop acting for a partition's patients, now (lost, or given back). */
  readonly lost: (partition: number) => void;
}

const NODES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS cluster_nodes (node TEXT PRIMARY KEY, seen_at TIMESTAMPTZ NOT NULL)`;

/**
 * One node's share of the partitions: three times a lease, it says it is alive, renews what it
 * holds, and takes or gives back partitions so that every live node holds its fair share
 * (`rebalance`). It stops acting for a partition as soon as a renewal fails, or when its own
 * clock says the lease may have lapsed (a stalled node), before anyone else may take it.
 */
export class PartitionOwnership {
  private readonly leases: PartitionLeases;
  private readonly held = new Map<number, { lease: PartitionLease; renewedAt: number }>();
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: PartitionOwnershipOptions,
  ) {
    this.leases = new PartitionLeases(pool, options.leaseMs);
  }

  async start(): Promise<void> {
    await this.leases.createSchema();
    await createSchemaOnce(this.pool, NODES_SCHEMA);
    await this.runRound();
    this.timer = setInterval(() => void this.runRound(), this.options.leaseMs / 3);
  }

  /** The lease to write under for a partition, if this node may act for it now. */
  leaseOf(partition: number, now = Date.now()): PartitionLease | undefined {
    const held = this.held.get(partition);
    // Stop short of the lease's end by a round, so a lapse never finds this node still acting.
    return held && now - held.renewedAt < (this.options.leaseMs * 2) / 3 ? held.lease : undefined;
  }

  heldPartitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** Leaves: gives every partition back and says so, for the others to take at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
    for (const [partition, { lease }] of this.held) {
      this.options.lost(partition);
      await this.leases.release(lease).catch(() => undefined);
    }
    this.held.clear();
    await this.pool.query('DELETE FROM cluster_nodes WHERE node = $1', [this.options.node]);
  }

  private runRound(): Promise<void> {
    if (this.round || this.stopped) return this.round ?? Promise.resolve();
    this.round = this.roundOnce()
      .catch(() => this.dropStale(Date.now()))
      .finally(() => (this.round = undefined));
    return this.round;
  }

  private async roundOnce(): Promise<void> {
    const { node, partitions, leaseMs } = this.options;
    await this.pool.query(
      `INSERT INTO cluster_nodes (node, seen_at) VALUES ($1, now())
         ON CONFLICT (node) DO UPDATE SET seen_at = now()`,
      [node],
    );
    for (const [partition, { lease }] of [...this.held]) {
      const startedAt = Date.now();
      if (await this.leases.renew(lease)) this.held.set(partition, { lease, renewedAt: startedAt });
      else this.drop(partition);
    }
    const { rows } = await this.pool.query<{ live: string; taken: number[] | null }>(
      `SELECT (SELECT count(*) FROM cluster_nodes
                 WHERE seen_at > now() - $1 * interval '1 millisecond') AS live,
              (SELECT array_agg(partition) FROM partition_leases WHERE expires_at > now()) AS taken`,
      [leaseMs],
    );
    const taken = new Set(rows[0].taken ?? []);
    const free = Array.from({ length: partitions }, (_, index) => index).filter(
      (partition) => !taken.has(partition),
    );
    const plan = rebalance({
      partitions,
      liveNodes: Number(rows[0].live),
      held: this.heldPartitions(),
      free,
    });
    for (const partition of plan.release) {
      const lease = this.held.get(partition)?.lease;
      this.drop(partition);
      if (lease) await this.leases.release(lease);
    }
    for (const partition of plan.take) {
      const startedAt = Date.now();
      const lease = await this.leases.acquire(partition, node);
      if (!lease) continue;
      this.held.set(partition, { lease, renewedAt: startedAt });
      this.options.gained(lease);
    }
  }

  /** The database did not answer: partitions whose lease may have lapsed are dropped. */
  private dropStale(now: number): void {
    for (const partition of [...this.held.keys()])
      if (!this.leaseOf(partition, now)) this.drop(partition);
  }

  private drop(partition: number): void {
    if (!this.held.delete(partition)) return;
    this.options.lost(partition);
  }
}
