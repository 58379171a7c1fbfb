// Proves the embedded rule-state store meets the RuleStateStore contract, on disk through the
// writer thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedRuleStateStore } from './embedded-rule-state.store';
import { EmbeddedWriter } from './embedded-writer';
import { describeRuleStateStoreContract } from './rule-state-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'vigil-rule-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describeRuleStateStoreContract('embedded (SQLite, on disk)', async () => {
  const db = openEmbeddedDatabase(join(dir, `case-${++files}`));
  const writer = new EmbeddedWriter(db);
  return {
    store: new EmbeddedRuleStateStore(db, writer),
    dispose: async () => {
      await writer.close();
      db.close();
    },
  };
});
