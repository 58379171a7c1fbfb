import { Pool, type PoolClient } from 'pg';
import { PostgresAlertStore } from './postgres-alert.store';
import { PostgresNotificationStore } from './postgres-notification.store';
import { PostgresObservationStore } from './postgres-observation.store';
import { PostgresRegistryStore } from './postgres-registry.store';
import { PostgresRuleStateStore } from './postgres-rule-state.store';
import { PostgresUserStore } from './postgres-user.store';

/** The records nodes share (DATABASE_URL): who, where, which alerts, what was observed, owed. */
export interface SharedStores {
  readonly pool: Pool;
  /** Holds the database for this node alone while it runs; none on a cluster's node. */
  readonly holder?: PoolClient;
  readonly registry: PostgresRegistryStore;
  readonly users: PostgresUserStore;
  readonly alerts: PostgresAlertStore;
  readonly observations: PostgresObservationStore;
  readonly notifications: PostgresNotificationStore;
  /** On a cluster's node: rule states travel with the patients between nodes. */
  readonly ruleStates?: PostgresRuleStateStore;
}

/**
 * `single`: one node uses the database, and holds it (below). `cluster`: nodes share it, each
 * acting for the partitions of patients it holds a lease for (docs/decisions/scale-out.md).
 */
export type SharedUse = 'single' | 'cluster';

/**
 * Outside a cluster, one node at a time may act on a database: two would both restore, and
 * escalate, the same open alerts. A node holds this session-level lock for as long as it runs;
 * a node that dies loses its connection, and the lock with it.
 */
const ONE_NODE_LOCK = "SELECT pg_try_advisory_lock(hashtext('vigil: one node at a time')) AS held";

/**
 * Connects to the shared PostgreSQL, creates what is missing of its tables (the registry's
 * first: the others refer to its patients) and takes the database for this node. A database
 * that does not answer, or that another node holds, stops the start.
 */
export async function openSharedStores(
  url: string,
  use: SharedUse = 'single',
): Promise<SharedStores> {
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle connection the server dropped is replaced by the pool; the next query says so.
  pool.on('error', () => undefined);
  const where = new URL(url).host;
  let holder: PoolClient;
  try {
    holder = await pool.connect();
  } catch (error) {
    await pool.end();
    throw new Error(`DATABASE_URL: PostgreSQL at ${where} does not answer (${String(error)})`);
  }
  if (use === 'cluster') holder.release();
  else {
    const { rows } = await holder.query<{ held: boolean }>(ONE_NODE_LOCK);
    if (!rows[0].held) {
      holder.release();
      await pool.end();
      throw new Error(
        `DATABASE_URL: another Vigil node is using the database at ${where}; nodes share one only as a cluster (CLUSTER_PEER_PORT, docs/operations.md)`,
      );
    }
  }
  const stores: SharedStores = {
    pool,
    ...(use === 'single' && { holder }),
    registry: new PostgresRegistryStore(pool),
    users: new PostgresUserStore(pool),
    alerts: new PostgresAlertStore(pool),
    observations: new PostgresObservationStore(pool),
    notifications: new PostgresNotificationStore(pool),
    ...(use === 'cluster' && { ruleStates: new PostgresRuleStateStore(pool) }),
  };
  try {
    for (const store of [
      stores.registry,
      stores.users,
      stores.alerts,
      stores.observations,
      stores.notifications,
      stores.ruleStates,
    ])
      await store?.createSchema();
  } catch (error) {
    await closeSharedStores(stores);
    throw error;
  }
  return stores;
}

/** Lets the database go for another node, and closes the connections. */
export async function closeSharedStores(stores: SharedStores): Promise<void> {
  stores.holder?.release();
  await stores.pool.end();
}
