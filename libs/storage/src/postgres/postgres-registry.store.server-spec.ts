// Proves the PostgreSQL registry meets the RegistryStore contract, against a real PostgreSQL
// (Debian's, started by the test), each case on a fresh schema.
import { Pool } from 'pg';
import { startPostgres, type PostgresServer } from '../../../../test/support/postgres-server';
import { describeRegistryStoreContract } from '../registry-store.contract';
import { PostgresRegistryStore } from './postgres-registry.store';

let postgres: PostgresServer;
let cases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
});

describeRegistryStoreContract('PostgreSQL', async () => {
  const schema = `registry_case_${++cases}`;
  const admin = new Pool({ connectionString: postgres.url, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = new Pool({
    connectionString: postgres.url,
    max: 4,
    options: `-c search_path=${schema}`,
  });
  const store = new PostgresRegistryStore(pool);
  await store.createSchema();
  return { store, dispose: () => pool.end() };
});
