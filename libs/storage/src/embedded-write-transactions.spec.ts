// Proves the main connection's write transactions wait their turn beside the writer thread. A
// deferred transaction that reads and then writes fails at once with "database is locked"
// (SQLITE_BUSY_SNAPSHOT) when the writer thread commits between its read and its write; seen as
// webhook notifications lost while samples were being committed.
import type { Sample } from '@vigil/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedNotificationStore } from './embedded-notification.store';
import { EmbeddedWriter } from './embedded-writer';
import { target } from './notification-store.contract';
import { auditEntry } from './registry-store.port';

const batch = (from: number): Sample[] =>
  Array.from({ length: 200 }, (_, i) => ({
    patientId: 'p1',
    deviceId: 'd1',
    ts: from + i,
    seq: from + i,
    vitals: { heartRate: 70 },
  }));

describe('write transactions on the main connection, beside the writer thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-transactions-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('queue a notification while samples are being committed, none refused', async () => {
    const db = openEmbeddedDatabase(dir);
    const writer = new EmbeddedWriter(db);
    const notifications = new EmbeddedNotificationStore(db);
    await notifications.addTarget(target, 'whsec_x', auditEntry('admin', 'created', 't1'));
    let committing = true;
    const commits = (async () => {
      for (let from = 0; committing; from += 200) await writer.write({ samples: batch(from) });
    })();
    const refused: string[] = [];
    try {
      for (let i = 0; i < 2_000; i += 1) {
        try {
          await notifications.enqueue(`msg_${i}`, '{}', ['t1'], Date.now(), 1_000_000);
        } catch (error) {
          refused.push((error as Error).message);
        }
        // The writer thread commits between turns of the event loop, and during them.
        if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      committing = false;
      await commits;
      await writer.close();
      db.close();
    }
    expect(refused).toEqual([]);
  });
});
