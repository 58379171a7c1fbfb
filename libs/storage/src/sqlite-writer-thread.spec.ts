// Proves group commits made on the writer thread are durable when they resolve, that a failed
// commit or a lost thread fails only its own callers, and that the next commit gets through.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '@vigil/contracts';
import { openEmbeddedDatabase } from './embedded-database';
import { SqliteWriterThread } from './sqlite-writer-thread';

const sample = (ts: number, patientId = 'p1'): Sample => ({
  patientId,
  deviceId: `dev-${patientId}`,
  ts,
  seq: ts,
  vitals: { heartRate: 70 },
});

describe('SqliteWriterThread (the build’s compiled worker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a commit in the file, for any other connection, once the commit resolves', async () => {
    const db = openEmbeddedDatabase(join(dir, 'durable'));
    const writer = new SqliteWriterThread(db.name);
    await writer.commit([{ samples: [sample(1), sample(2)], events: [] }]);
    const reader = new Database(db.name, { readonly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM samples').get()).toEqual({ n: 2 });
    reader.close();
    await writer.close();
    db.close();
  });

  it('fails a commit SQLite refuses with its reason, and commits the next one', async () => {
    const db = openEmbeddedDatabase(join(dir, 'refused'));
    const writer = new SqliteWriterThread(db.name);
    const broken = { ...sample(3), seq: { not: 'a number' } } as unknown as Sample;
    await expect(writer.commit([{ samples: [broken], events: [] }])).rejects.toThrow(
      /commit failed: Too few parameter values/,
    );
    await writer.commit([{ samples: [sample(4)], events: [] }]);
    expect(db.prepare('SELECT ts FROM samples').all()).toEqual([{ ts: 4 }]);
    await writer.close();
    db.close();
  });

  it('fails a commit that cannot be handed to the thread, and commits the next one', async () => {
    const db = openEmbeddedDatabase(join(dir, 'uncloneable'));
    const writer = new SqliteWriterThread(db.name);
    const odd = { ...sample(6), vitals: { heartRate: () => 70 } } as unknown as Sample;
    await expect(writer.commit([{ samples: [odd] }])).rejects.toThrow(/could not be cloned/);
    await writer.commit([{ samples: [sample(7)] }]);
    expect(db.prepare('SELECT ts FROM samples').all()).toEqual([{ ts: 7 }]);
    await writer.close();
    db.close();
  });

  it('fails the commits under way when its thread cannot run, instead of leaving them hanging', async () => {
    const writer = new SqliteWriterThread(join(dir, 'no-such-folder', 'vigil.db'));
    await expect(writer.commit([{ samples: [sample(5)], events: [] }])).rejects.toThrow(
      /SQLite writer thread (failed|exited)/,
    );
    await writer.close();
  });
});
