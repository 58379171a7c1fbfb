import type { Pool, PoolClient } from 'pg';
import { createSchemaOnce, inTransaction } from './transactions';

/** A node holds a partition of patients until `expiresAt`, under an epoch that only grows. */
export interface PartitionLease {
  readonly partition: number;
  readonly owner: string;
  readonly epoch: number;
}

/** A write refused because the lease it was made under has moved on. */
export class FencedError extends Error {
  constructor(readonly lease: PartitionLease) {
    super(`partition ${lease.partition}: lease epoch ${lease.epoch} of ${lease.owner} is over`);
  }
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS partition_leases (
    partition INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    epoch BIGINT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL)`;

/**
 * Which node acts for which partition of patients, in PostgreSQL (docs/decisions/scale-out.md):
 * a node takes a partition that is free or whose lease lapsed, each take raising the epoch;
 * renews it while it lives; and makes every write for it inside `fenced`, which the database
 * refuses once the lease is someone else's, so a node that stalled past its lease and woke up
 * cannot act for patients it lost. Time is the database's own clock, one for every node.
 */
export class PartitionLeases {
  constructor(
    private readonly pool: Pool,
    private readonly ttlMs: number,
  ) {}

  async createSchema(): Promise<void> {
    await createSchemaOnce(this.pool, SCHEMA);
  }

  /** Takes the partition if it is free or its lease lapsed; undefined when another holds it. */
  async acquire(partition: number, node: string): Promise<PartitionLease | undefined> {
    const { rows } = await this.pool.query<{ epoch: string }>(
      `INSERT INTO partition_leases (partition, owner, epoch, expires_at)
         VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
       ON CONFLICT (partition) DO UPDATE
         SET owner = EXCLUDED.owner, epoch = partition_leases.epoch + 1,
             expires_at = EXCLUDED.expires_at
         WHERE partition_leases.expires_at <= now()
       RETURNING epoch`,
      [partition, node, this.ttlMs],
    );
    return rows[0] && { partition, owner: node, epoch: Number(rows[0].epoch) };
  }

  /** Extends the lease; false when it was lost (lapsed and taken): stop acting for it at once. */
  async renew(lease: PartitionLease): Promise<boolean> {
    return (await this.renewAll([lease])).has(lease.partition);
  }

  /** Extends each lease still held; returns the partitions renewed (the others were lost). */
  async renewAll(leases: readonly PartitionLease[]): Promise<Set<number>> {
    if (leases.length === 0) return new Set();
    const { rows } = await this.pool.query<{ partition: number }>(
      `UPDATE partition_leases l SET expires_at = now() + $4 * interval '1 millisecond'
         FROM unnest($1::int[], $2::text[], $3::bigint[]) AS held(partition, owner, epoch)
         WHERE l.partition = held.partition AND l.owner = held.owner AND l.epoch = held.epoch
       RETURNING l.partition`,
      [
        leases.map((lease) => lease.partition),
        leases.map((lease) => lease.owner),
        leases.map((lease) => lease.epoch),
        this.ttlMs,
      ],
    );
    return new Set(rows.map((row) => row.partition));
  }

  /** Gives the partition up now, for another node to take without waiting for the lease to lapse. */
  async release(lease: PartitionLease): Promise<void> {
    await this.pool.query(
      `UPDATE partition_leases SET expires_at = now()
         WHERE partition = $1 AND owner = $2 AND epoch = $3`,
      [lease.partition, lease.owner, lease.epoch],
    );
  }

  /**
   * Runs `write` in a transaction that first checks, and holds for its length, the lease it is
   * made under: a take-over waits for it, and a write under a lease that has moved on, or lapsed,
   * is refused with FencedError and nothing of it is kept.
   */
  fenced<T>(lease: PartitionLease, write: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ current: boolean }>(
        `SELECT owner = $2 AND epoch = $3 AND expires_at > now() AS current
           FROM partition_leases WHERE partition = $1 FOR SHARE`,
        [lease.partition, lease.owner, lease.epoch],
      );
      if (!rows[0]?.current) throw new FencedError(lease);
      return write(client);
    });
  }
}
