// Proves the embedded alert store keeps every alert's state and history: open alerts, what changed
// since a moment (the latest first cut to a limit), and lists filtered by state and paged by a
// cursor, in memory and in a file written through the writer thread.
import type { Alert } from '@vigil/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertQuery } from './alert-store.port';
import { EmbeddedAlertStore } from './embedded-alert.store';
import { openEmbeddedDatabase } from './embedded-database';
import { EmbeddedHistoryReader } from './embedded-history-reader';
import { EmbeddedWriter } from './embedded-writer';

const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A high-priority desaturation of `patientId`, raised at `raisedAt`. */
const desaturation = (id: string, patientId: string, raisedAt: string): Alert => ({
  id,
  patientId,
  deviceId: `dev-${patientId}`,
  category: 'physiological',
  rule: 'spo2.below',
  vital: 'spo2',
  value: 89,
  threshold: 92,
  priority: 'high',
  state: 'active',
  raisedAt,
  ts: raisedAt,
  lastValue: 89,
  worstValue: 89,
  count: 1,
  updatedAt: raisedAt,
  escalationLevel: 0,
});

describe.each([':memory:', join(dir, 'on-disk')])('EmbeddedAlertStore (%s)', (dataDir) => {
  const db = openEmbeddedDatabase(dataDir);
  const writer = new EmbeddedWriter(db);
  const reader = new EmbeddedHistoryReader(db);
  const alerts = new EmbeddedAlertStore(db, writer, reader);
  const base = Date.UTC(2026, 10, 28, 8, 0, 0);
  afterAll(async () => {
    await Promise.all([writer.close(), reader.close()]);
    db.close();
  });

  it('keeps open alerts, what changed since a moment, and each alert with its history', async () => {
    const iso = (seconds: number) => new Date(base + seconds * 1000).toISOString();
    const alert = desaturation('a1', 'p1', iso(0));
    const other: Alert = {
      ...alert,
      id: 'a2',
      patientId: 'p2',
      rule: 'heartRate.above',
      vital: 'heartRate',
    };
    const acknowledged: Alert = {
      ...alert,
      state: 'acknowledged',
      acknowledgedBy: 'Nurse Ana',
      updatedAt: iso(20),
    };
    await alerts.writeAlertEvents([
      { kind: 'raised', at: iso(0), alert },
      { kind: 'raised', at: iso(0), alert: other },
    ]);
    await alerts.writeAlertEvents([
      {
        kind: 'resolved',
        at: iso(10),
        alert: { ...other, state: 'resolved', updatedAt: iso(10) },
      },
      { kind: 'acknowledged', at: iso(20), by: 'Nurse Ana', alert: acknowledged },
    ]);
    expect(await alerts.openAlerts()).toEqual([acknowledged]);
    const changed = (limit: number) =>
      alerts
        .alertsChangedSince({ since: iso(5), limit })
        .then((changed) => changed.map((a) => a.id));
    expect(await changed(10)).toEqual(['a2', 'a1']);
    expect(await changed(1)).toEqual(['a1']);
    const listed = await alerts.listAlerts({ patientId: 'p1', limit: 500 });
    expect(listed).toEqual([
      {
        ...acknowledged,
        history: [
          { kind: 'raised', at: iso(0) },
          { kind: 'acknowledged', at: iso(20), by: 'Nurse Ana' },
        ],
      },
    ]);
    const ids = (query: Partial<AlertQuery>) =>
      alerts.listAlerts({ limit: 500, ...query }).then((listed) => listed.map((a) => a.id));
    expect(await ids({ state: 'resolved' })).toEqual(['a2']);
    expect(await ids({ state: 'open' })).toEqual(['a1']);
    // Raised in the same millisecond: pages are ordered by id after the time, and do not overlap.
    expect(await ids({ limit: 1 })).toEqual(['a2']);
    expect(await ids({ limit: 1, after: { raisedAt: iso(0), id: 'a2' } })).toEqual(['a1']);
    expect(await ids({ after: { raisedAt: iso(0), id: 'a1' } })).toEqual([]);
  });

  it("reads a ward's alarm load by the ward each alarm was raised on, with its pauses and standbys", async () => {
    const iso = (seconds: number) => new Date(base + 3_600_000 + seconds * 1000).toISOString();
    db.prepare(
      "INSERT INTO patients (id, name, ward, admitted_at) VALUES ('p9', 'Moved Later', '4B', ?)",
    ).run(iso(0));
    const alert = desaturation('load-1', 'p9', iso(0));
    await alerts.writeAlertEvents([{ kind: 'raised', at: iso(0), alert }]);
    // She moves on; the alarm stays with the ward it was raised on.
    db.prepare("UPDATE patients SET ward = '5A' WHERE id = 'p9'").run();
    const acknowledged: Alert = {
      ...alert,
      state: 'resolved',
      acknowledgedBy: 'ana',
      acknowledgedAt: iso(30),
      resolvedAt: iso(60),
      updatedAt: iso(60),
    };
    await alerts.writeAlertEvents([{ kind: 'acknowledged', at: iso(30), alert: acknowledged }]);
    const wardAlarm: Alert = {
      ...alert,
      id: 'load-2',
      patientId: '',
      ward: '4B',
      rule: 'ward.connection-lost',
    };
    await alerts.writeAlertEvents([{ kind: 'raised', at: iso(90), alert: wardAlarm }]);
    db.prepare(
      `INSERT INTO audit_log (at, actor, action, subject, new_value)
         VALUES (?, 'ana', 'patient.alarms-paused', 'p9', ?)`,
    ).run(iso(40), JSON.stringify({ scope: 'spo2', ward: '4B', from: iso(40), until: iso(160) }));
    const load = await alerts.alarmLoad({
      ward: '4B',
      from: base + 3_600_000,
      to: base + 7_200_000,
      limit: 1,
    });
    expect(load).toEqual({
      alerts: [
        {
          rule: 'spo2.below',
          category: 'physiological',
          priority: 'high',
          patientId: 'p9',
          raisedAt: Date.parse(iso(0)),
          acknowledgedAt: Date.parse(iso(30)),
          resolvedAt: Date.parse(iso(60)),
          resolvedReason: null,
        },
      ],
      inactivations: [
        {
          kind: 'pause',
          patientId: 'p9',
          scope: 'spo2',
          from: Date.parse(iso(40)),
          until: Date.parse(iso(160)),
        },
      ],
      patientMs: 0,
      truncated: true,
    });
    expect(
      (await alerts.alarmLoad({ ward: '5A', from: base, to: base + 7_200_000, limit: 10 })).alerts,
    ).toEqual([]);
  });
});
