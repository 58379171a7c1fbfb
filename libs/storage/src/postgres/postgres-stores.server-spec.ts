// Proves the PostgreSQL registry, user, alert, observation, notification and rule-state stores meet their
// contracts (the embedded stores' behaviour), against a real PostgreSQL (Debian's, started by the
// test), each case in a schema of its own.
import { Pool } from 'pg';
import { startPostgres, type PostgresServer } from '../../../../test/support/postgres-server';
import { describeAlertStoreContract } from '../alert-store.contract';
import { describeNotificationStoreContract } from '../notification-store.contract';
import { describeObservationStoreContract } from '../observation-store.contract';
import { describeRegistryStoreContract } from '../registry-store.contract';
import { describeRuleStateStoreContract } from '../rule-state-store.contract';
import { describeUserStoreContract } from '../user-store.contract';
import { PostgresAlertStore } from './postgres-alert.store';
import { PostgresNotificationStore } from './postgres-notification.store';
import { PostgresObservationStore } from './postgres-observation.store';
import { PostgresRegistryStore } from './postgres-registry.store';
import { PostgresRuleStateStore } from './postgres-rule-state.store';
import { PostgresUserStore } from './postgres-user.store';
import { closeSharedStores, openSharedStores } from './shared-database';

let postgres: PostgresServer;
let cases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
});

/** A pool whose tables live in a schema of their own. */
async function freshPool(): Promise<Pool> {
  const schema = `case_${++cases}`;
  const admin = new Pool({ connectionString: postgres.url, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return new Pool({ connectionString: postgres.url, max: 8, options: `-c search_path=${schema}` });
}

describeRegistryStoreContract('PostgreSQL', async () => {
  const pool = await freshPool();
  const store = new PostgresRegistryStore(pool);
  await store.createSchema();
  return { store, dispose: () => pool.end() };
});

describeUserStoreContract('PostgreSQL', async () => {
  const pool = await freshPool();
  const store = new PostgresUserStore(pool);
  await store.createSchema();
  return { store, dispose: () => pool.end() };
});

describeAlertStoreContract('PostgreSQL', async () => {
  const pool = await freshPool();
  const registry = new PostgresRegistryStore(pool);
  const alerts = new PostgresAlertStore(pool);
  await registry.createSchema();
  await alerts.createSchema();
  return { alerts, registry, dispose: () => pool.end() };
});

describeObservationStoreContract('PostgreSQL', async () => {
  const pool = await freshPool();
  const registry = new PostgresRegistryStore(pool);
  const observations = new PostgresObservationStore(pool);
  await registry.createSchema();
  await observations.createSchema();
  return { observations, registry, dispose: () => pool.end() };
});

describeNotificationStoreContract('PostgreSQL', async () => {
  const pool = await freshPool();
  const store = new PostgresNotificationStore(pool);
  await store.createSchema();
  return { store, dispose: () => pool.end() };
});

describeRuleStateStoreContract('PostgreSQL', async () => {
  const pool = await freshPool();
  const store = new PostgresRuleStateStore(pool);
  await store.createSchema();
  return { store, dispose: () => pool.end() };
});

describe('openSharedStores: one node at a time', () => {
  it('refuses a second node while the first holds the database, and not once its session is gone', async () => {
    const admin = new Pool({ connectionString: postgres.url, max: 1 });
    await admin.query('CREATE DATABASE one_node');
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = '/one_node';
    const first = await openSharedStores(url.toString());
    await expect(openSharedStores(url.toString())).rejects.toThrow(
      /another Vigil node is using the database/,
    );
    // A node that dies loses its connection: destroyed here, as a crash would.
    first.holder?.release(new Error('the node died'));
    await first.pool.end();
    const second = await openSharedStores(url.toString());
    await closeSharedStores(second);
  });
});
