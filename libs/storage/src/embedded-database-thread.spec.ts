// Proves group commits made on the writer thread are durable when they resolve, that a failed
// commit or a lost thread fails only its own callers, that the next commit gets through, and that
// the reader thread aggregates history from an encrypted file.
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '@vigil/contracts';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedDatabaseThread } from './embedded-database-thread';

const sample = (ts: number, patientId = 'p1'): Sample => ({
  patientId,
  deviceId: `dev-${patientId}`,
  ts,
  seq: ts,
  vitals: { heartRate: 70 },
});

describe('EmbeddedDatabaseThread (the worker from its TypeScript source)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a commit in the file, for any other connection, once the commit resolves', async () => {
    const db = openEmbeddedDatabase(join(dir, 'durable'));
    const writer = new EmbeddedDatabaseThread({ file: db.name, role: 'writer' });
    await writer.commit([{ samples: [sample(1), sample(2)], events: [] }]);
    const reader = new Database(db.name, { readonly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM samples').get()).toEqual({ n: 2 });
    reader.close();
    await writer.close();
    db.close();
  });

  it('fails a commit SQLite refuses with its reason, and commits the next one', async () => {
    const db = openEmbeddedDatabase(join(dir, 'refused'));
    const writer = new EmbeddedDatabaseThread({ file: db.name, role: 'writer' });
    const broken = { ...sample(3), seq: { not: 'a number' } } as unknown as Sample;
    await expect(writer.commit([{ samples: [broken], events: [] }])).rejects.toThrow(
      /SQLite writer failed: Too few parameter values/,
    );
    await writer.commit([{ samples: [sample(4)], events: [] }]);
    expect(db.prepare('SELECT ts FROM samples').all()).toEqual([{ ts: 4 }]);
    await writer.close();
    db.close();
  });

  it('fails a commit that cannot be handed to the thread, and commits the next one', async () => {
    const db = openEmbeddedDatabase(join(dir, 'uncloneable'));
    const writer = new EmbeddedDatabaseThread({ file: db.name, role: 'writer' });
    const odd = { ...sample(6), vitals: { heartRate: () => 70 } } as unknown as Sample;
    await expect(writer.commit([{ samples: [odd] }])).rejects.toThrow(/could not be cloned/);
    await writer.commit([{ samples: [sample(7)] }]);
    expect(db.prepare('SELECT ts FROM samples').all()).toEqual([{ ts: 7 }]);
    await writer.close();
    db.close();
  });

  it('fails the commits under way when its thread cannot run, instead of leaving them hanging', async () => {
    const writer = new EmbeddedDatabaseThread({
      file: join(dir, 'no-such-folder', 'vigil.db'),
      role: 'writer',
    });
    await expect(writer.commit([{ samples: [sample(5)], events: [] }])).rejects.toThrow(
      /SQLite writer thread (failed|exited)/,
    );
    await writer.close();
  });

  it('aggregates history on a reader thread, from a file encrypted with its key', async () => {
    const options = { encryptionKey: 'a key for the reader thread test' };
    const db = openEmbeddedDatabase(join(dir, 'encrypted'), options);
    const writer = new EmbeddedDatabaseThread({ file: db.name, role: 'writer', ...options });
    const reader = new EmbeddedDatabaseThread({ file: db.name, role: 'reader', ...options });
    await writer.commit([{ samples: [sample(1_000), sample(1_500), sample(61_000)] }]);
    await expect(
      reader.history({ patientId: 'p1', from: 0, to: 120_000, everyMs: 60_000 }),
    ).resolves.toEqual([
      { ts: 0, vitals: { heartRate: 70 } },
      { ts: 60_000, vitals: { heartRate: 70 } },
    ]);
    await expect(reader.commit([{ samples: [sample(2_000)] }])).rejects.toThrow(
      /reader thread does not take commit/,
    );
    const keyless = new EmbeddedDatabaseThread({ file: db.name, role: 'reader' });
    await expect(
      keyless.history({ patientId: 'p1', from: 0, to: 1, everyMs: 1_000 }),
    ).rejects.toThrow(/SQLite reader thread (failed|exited)/);
    await Promise.all([writer.close(), reader.close(), keyless.close()]);
    db.close();
  });
});
