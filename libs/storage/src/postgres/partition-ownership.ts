import type { Pool } from 'pg';
import { PartitionLeases, type PartitionLease } from './partition-leases';
import { createSchemaOnce } from './transactions';
import { rebalance } from './partition-share';

export interface PartitionOwnershipOptions {
  readonly node: string;
  /** Where the other nodes reach this one (its peer link, host:port). */
  readonly address?: string;
  readonly partitions: number;
  /** A lease not renewed for this long lapses, and another node may take its partition. */
  readonly leaseMs: number;
  /** The node gained a partition: start acting for its patients (restore their state). */
  readonly gained: (lease: PartitionLease) => void;
  /** The node must stop acting for a partition's patients, now (lost, or given back). */
  readonly lost: (partition: number) => void;
}

const NODES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS cluster_nodes (
    node TEXT PRIMARY KEY,
    seen_at TIMESTAMPTZ NOT NULL,
    address TEXT)`;

/** Who holds a partition, as the last round saw it, and where that node is reached. */
export interface PartitionHolder {
  readonly node: string;
  readonly address?: string;
}

/**
 * One node's share of the partitions: three times a lease, it says it is alive, renews what it
 * holds, and takes or gives back partitions so that every live node holds its fair share
 * (`rebalance`). It stops acting for a partition as soon as a renewal fails, or when its own
 * clock says the lease may have lapsed (a stalled node), before anyone else may take it.
 */
export class PartitionOwnership {
  private readonly leases: PartitionLeases;
  private readonly held = new Map<number, { lease: PartitionLease; renewedAt: number }>();
  private holders = new Map<number, PartitionHolder>();
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

  /** Who held the partition at the last round (this node included), if anyone did. */
  holderOf(partition: number): PartitionHolder | undefined {
    return this.holders.get(partition);
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
      `INSERT INTO cluster_nodes (node, seen_at, address) VALUES ($1, now(), $2)
         ON CONFLICT (node) DO UPDATE SET seen_at = now(), address = EXCLUDED.address`,
      [node, this.options.address ?? null],
    );
    const renewing = [...this.held.values()].map(({ lease }) => lease);
    const startedAt = Date.now();
    const renewed = await this.leases.renewAll(renewing);
    for (const lease of renewing) {
      if (renewed.has(lease.partition))
        this.held.set(lease.partition, { lease, renewedAt: startedAt });
      else this.drop(lease.partition);
    }
    const { rows } = await this.pool.query<{ live: string }>(
      `SELECT count(*) AS live FROM cluster_nodes
         WHERE seen_at > now() - $1 * interval '1 millisecond'`,
      [leaseMs],
    );
    const leases = await this.pool.query<{
      partition: number;
      owner: string;
      address: string | null;
    }>(
      `SELECT l.partition, l.owner, n.address FROM partition_leases l
         LEFT JOIN cluster_nodes n ON n.node = l.owner
         WHERE l.expires_at > now()`,
    );
    this.holders = new Map(
      leases.rows.map(({ partition, owner, address }) => [
        partition,
        { node: owner, ...(address !== null && { address }) },
      ]),
    );
    const taken = new Set(this.holders.keys());
    const free = Array.from({ length: partitions }, (_, index) => index).filter(
      (partition) => !taken.has(partition),
    );
    const plan = rebalance({
      partitions,
      liveNodes: Number(rows[0].live),
      held: this.heldPartitions(),
      free,
    });
    // Dropped before the leases go, and announced together once taken: a round's changes are
    // handed over as one.
    const releasing = plan.release.flatMap((partition) => this.held.get(partition)?.lease ?? []);
    for (const lease of releasing) this.drop(lease.partition);
    for (const lease of releasing) await this.leases.release(lease);
    const gained: PartitionLease[] = [];
    for (const partition of plan.take) {
      const takenAt = Date.now();
      const lease = await this.leases.acquire(partition, node);
      if (!lease) continue;
      this.held.set(partition, { lease, renewedAt: takenAt });
      gained.push(lease);
    }
    for (const lease of gained) this.options.gained(lease);
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
