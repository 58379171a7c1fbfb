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
import { EmbeddedWriter } from './embedded-writer';

const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([':memory:', join(dir, 'on-disk')])('EmbeddedAlertStore (%s)', (dataDir) => {
  const db = openEmbeddedDatabase(dataDir);
  const writer = new EmbeddedWriter(db);
  const alerts = new EmbeddedAlertStore(db, writer);
  const base = Date.UTC(2026, 10, 28, 8, 0, 0);
  afterAll(async () => {
    await writer.close();
    db.close();
  });

  it('keeps open alerts, what changed since a moment, and each alert with its history', async () => {
    const iso = (seconds: number) => new Date(base + seconds * 1000).toISOString();
    const alert: Alert = {
      id: 'a1',
      patientId: 'p1',
      deviceId: 'dev-p1',
      category: 'physiological',
      rule: 'spo2.below',
      vital: 'spo2',
      value: 89,
      threshold: 92,
      priority: 'high',
      state: 'active',
      raisedAt: iso(0),
      ts: iso(0),
      lastValue: 89,
      worstValue: 89,
      count: 1,
      updatedAt: iso(0),
      escalationLevel: 0,
    };
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
});
