// Proves the outbound HL7 interface's durable state on disk through the writer thread: an
// interval is queued once with its mark, a patient's messages wait for her first, others' do
// not, and everything survives closing and reopening the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { EmbeddedHl7Outbox } from './embedded-hl7-outbox';
import { EmbeddedWriter } from './embedded-writer';

const dir = mkdtempSync(join(tmpdir(), 'vigil-hl7-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (controlId: string, queuedAt: number, ward = 'ward-1') => ({
  ward,
  controlId,
  message: `MSH|^~\\&|VIGIL|||||||${controlId}`,
  queuedAt,
});

describe('the embedded HL7 outbox', () => {
  let db: EmbeddedDatabase;
  let writer: EmbeddedWriter;
  let outbox: EmbeddedHl7Outbox;
  const open = () => {
    db = openEmbeddedDatabase(dir);
    writer = new EmbeddedWriter(db);
    outbox = new EmbeddedHl7Outbox(db, writer);
  };
  const close = async () => {
    await writer.close();
    db.close();
  };

  beforeAll(open);
  afterAll(close);

  it('queues an interval once with its mark, and keeps each patient in order', async () => {
    await outbox.chart('ann', 60_000, message('ann-1', 1_000));
    await outbox.chart('ann', 60_000, message('ann-1', 1_000));
    await outbox.chart('ann', 120_000, message('ann-2', 2_000));
    await outbox.chart('bea', 60_000, message('bea-1', 3_000, 'ward-2'));
    await outbox.chart('cat', 60_000, undefined);
    expect(await outbox.marks()).toEqual(
      new Map([
        ['ann', 120_000],
        ['bea', 60_000],
        ['cat', 60_000],
      ]),
    );
    expect(await outbox.depth()).toBe(3);
    const [first, ...others] = await outbox.dueHeads(10_000, 10);
    // Ann's second waits for her first.
    expect([first?.controlId, ...others.map((message) => message.controlId)]).toEqual([
      'ann-1',
      'bea-1',
    ]);
    await outbox.failed(first?.seq as number, 50_000, 'AE: try later');
    // Bea's goes while Ann's waits for its retry.
    expect((await outbox.dueHeads(10_000, 10)).map((message) => message.controlId)).toEqual([
      'bea-1',
    ]);
    expect(await outbox.dueHeads(10_000, 1)).toHaveLength(1);
    expect(await outbox.nextAttemptAt()).toBe(3_000);
    expect(await outbox.oldestByWard()).toEqual(
      new Map([
        ['ward-1', 1_000],
        ['ward-2', 3_000],
      ]),
    );
  });

  it('keeps the queue and the marks across a restart', async () => {
    await close();
    open();
    const [head] = await outbox.dueHeads(50_000, 1);
    expect(head).toMatchObject({ controlId: 'ann-1', attempts: 1, lastError: 'AE: try later' });
    await outbox.acknowledged(head?.seq as number);
    expect((await outbox.dueHeads(50_000, 1))[0]?.controlId).toBe('ann-2');
    expect((await outbox.marks()).get('ann')).toBe(120_000);
  });
});
