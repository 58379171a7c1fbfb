// Proves a commit to a database file runs beside the main thread: the event loop (where the
// broker serves devices) keeps turning while a large transaction commits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '@vigil/contracts';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedWriter } from './embedded-writer';

const samples = (count: number): Sample[] =>
  Array.from(
    { length: count },
    // Typed at the literal, so a vital that does not exist fails to compile.
    (_, i): Sample => ({
      patientId: `p${i % 100}`,
      deviceId: `d${i % 100}`,
      ts: 1_000_000 + i,
      seq: i,
      vitals: { heartRate: 70, spo2: 97, respRate: 16 },
    }),
  );

/** How many 1 ms timer ticks the event loop ran while `work` was under way. */
async function ticksDuring(work: () => Promise<void>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 1);
  await work();
  clearInterval(timer);
  return ticks;
}

describe('EmbeddedWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('commits to a database file on the writer thread, leaving the event loop free', async () => {
    const db = openEmbeddedDatabase(dir);
    const writer = new EmbeddedWriter(db);
    const batch = samples(100_000);
    const ticks = await ticksDuring(() => writer.write({ samples: batch }));
    expect(db.prepare('SELECT count(*) AS n FROM samples').get()).toEqual({ n: 100_000 });
    // 100,000 inserts take hundreds of milliseconds; the loop ran timers meanwhile.
    expect(ticks).toBeGreaterThan(20);
    await writer.close();
    db.close();
  });

  it('commits an in-memory database on this thread, in the order writes were asked for', async () => {
    const db = openEmbeddedDatabase(':memory:');
    const writer = new EmbeddedWriter(db);
    await Promise.all([
      writer.write({ ruleStates: [['p1', '{"v":1}']] }),
      writer.write({ ruleStates: [['p1', '{"v":2}']] }),
    ]);
    expect(db.prepare('SELECT body FROM rule_state').all()).toEqual([{ body: '{"v":2}' }]);
    await writer.close();
    db.close();
  });
});
