// Proves the embedded alert store meets the AlertStore contract, in memory and in a file written
// through the writer thread and read for reports on the reader thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAlertStoreContract } from './alert-store.contract';
import { EmbeddedAlertStore } from './embedded-alert.store';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedHistoryReader } from './embedded-history-reader';
import { EmbeddedRegistryStore } from './embedded-registry.store';
import { EmbeddedWriter } from './embedded-writer';

const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describe.each([
  ['in memory', () => ':memory:'],
  ['on disk', () => join(dir, `case-${++files}`)],
])('embedded (%s)', (where, dataDir) => {
  describeAlertStoreContract(`embedded (SQLite, ${where})`, async () => {
    const db = openEmbeddedDatabase(dataDir());
    const writer = new EmbeddedWriter(db);
    const reader = new EmbeddedHistoryReader(db);
    return {
      alerts: new EmbeddedAlertStore(db, writer, reader),
      registry: new EmbeddedRegistryStore(db),
      dispose: async () => {
        await Promise.all([writer.close(), reader.close()]);
        db.close();
      },
    };
  });
});
