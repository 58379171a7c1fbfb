import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  PATIENT_PARTITIONS,
  partitionOf,
  type OwnershipChange,
  type PatientOwnership,
} from '@vigil/alerts';
import { PartitionOwnership, type PartitionHolder } from '@vigil/storage';
import { Pool } from 'pg';
import type { ClusterOptions } from '../config/vigil-config';

/**
 * This node's share of the patients in a cluster: the partitions it holds a lease for in the
 * shared PostgreSQL (`PartitionOwnership`), each acted for only once its patients' state is
 * taken up, and no longer from the moment its lease is lost or may have lapsed.
 */
@Injectable()
export class ClusterOwnership
  implements PatientOwnership, OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(ClusterOwnership.name);
  private readonly pool: Pool;
  private readonly leases: PartitionOwnership;
  /** Partitions whose patients' state is taken up: acted for while their lease holds. */
  private readonly acting = new Set<number>();
  private readonly gaining = new Set<number>();
  private readonly losing = new Set<number>();
  private take: (change: OwnershipChange) => Promise<void> = () => Promise.resolve();
  private handovers: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: ClusterOptions,
    databaseUrl: string,
  ) {
    // Its own few connections: a renewal must not queue behind the stores' queries.
    this.pool = new Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 5_000 });
    this.pool.on('error', () => undefined);
    this.leases = new PartitionOwnership(this.pool, {
      node: options.node,
      address: `${options.peerHost}:${options.peerPort}`,
      partitions: PATIENT_PARTITIONS,
      leaseMs: options.leaseMs,
      gained: ({ partition }) => this.gained(partition),
      lost: (partition) => this.lost(partition),
    });
  }

  get node(): string {
    return this.options.node;
  }

  owns(patientId: string): boolean {
    const partition = partitionOf(patientId);
    return this.acting.has(partition) && this.leases.leaseOf(partition) !== undefined;
  }

  /** The other node that holds the patient's partition, as last seen; none while it is free. */
  holderOf(patientId: string): PartitionHolder | undefined {
    const holder = this.leases.holderOf(partitionOf(patientId));
    return holder?.node === this.options.node ? undefined : holder;
  }

  /** How many partitions this node acts for now. */
  get actingPartitions(): number {
    return this.acting.size;
  }

  handOverWith(take: (change: OwnershipChange) => Promise<void>): void {
    this.take = take;
  }

  /** Joins the cluster once every part is up: takes its share of the partitions. */
  onApplicationBootstrap(): Promise<void> {
    return this.leases.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.leases
      .stop()
      .catch((error: unknown) => this.logger.warn(`partitions not given back: ${String(error)}`));
    await this.handovers;
    await this.pool.end();
  }

  private gained(partition: number): void {
    this.gaining.add(partition);
    this.handOver('gained', this.gaining);
  }

  private lost(partition: number): void {
    this.gaining.delete(partition);
    this.acting.delete(partition);
    this.losing.add(partition);
    this.handOver('lost', this.losing);
  }

  /**
   * The partitions gained, or lost, in one round are handed over together: one read of the
   * stores for all of them, one line in the log. A gained one is acted for once taken up.
   */
  private handOver(kind: OwnershipChange['kind'], pending: Set<number>): void {
    this.enqueue(async () => {
      const partitions = new Set(pending);
      pending.clear();
      if (partitions.size === 0) return;
      await this.take({ kind, covers: (patientId) => partitions.has(partitionOf(patientId)) });
      if (kind === 'gained')
        for (const gained of partitions) if (this.leases.leaseOf(gained)) this.acting.add(gained);
      this.logger.log(
        `${kind === 'gained' ? 'took up' : 'handed over'} ${partitions.size} partitions; acting for ${this.acting.size} of ${PATIENT_PARTITIONS}`,
      );
    });
  }

  private enqueue(step: () => Promise<void>): void {
    this.handovers = this.handovers
      .then(step)
      .catch((error: unknown) => this.logger.error(`hand-over failed: ${String(error)}`));
  }
}
