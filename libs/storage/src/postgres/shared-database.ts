import { Pool } from 'pg';
import { PostgresAlertStore } from './postgres-alert.store';
import { PostgresNotificationStore } from './postgres-notification.store';
import { PostgresObservationStore } from './postgres-observation.store';
import { PostgresRegistryStore } from './postgres-registry.store';
import { PostgresUserStore } from './postgres-user.store';

/** The records nodes share (DATABASE_URL): who, where, which alerts, what was observed, owed. */
export interface SharedStores {
  readonly pool: Pool;
  readonly registry: PostgresRegistryStore;
  readonly users: PostgresUserStore;
  readonly alerts: PostgresAlertStore;
  readonly observations: PostgresObservationStore;
  readonly notifications: PostgresNotificationStore;
}

/**
 * Connects to the shared PostgreSQL and creates what is missing of its tables (the registry's
 * first: the others refer to its patients). A database that does not answer stops the start.
 */
export async function openSharedStores(url: string): Promise<SharedStores> {
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 });
  // An idle connection the server dropped is replaced by the pool; the next query says so.
  pool.on('error', () => undefined);
  const stores: SharedStores = {
    pool,
    registry: new PostgresRegistryStore(pool),
    users: new PostgresUserStore(pool),
    alerts: new PostgresAlertStore(pool),
    observations: new PostgresObservationStore(pool),
    notifications: new PostgresNotificationStore(pool),
  };
  try {
    for (const store of [
      stores.registry,
      stores.users,
      stores.alerts,
      stores.observations,
      stores.notifications,
    ])
      await store.createSchema();
  } catch (error) {
    await pool.end();
    const where = new URL(url).host;
    throw new Error(`DATABASE_URL: PostgreSQL at ${where} does not answer (${String(error)})`);
  }
  return stores;
}
