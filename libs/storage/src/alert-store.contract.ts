import type { Alert } from '@vigil/contracts';
import type { AlertQuery, AlertStore } from './alert-store.port';
import type { RegistryStore } from './registry-store.port';

export interface AlertStoreUnderTest {
  readonly alerts: AlertStore;
  /** The registry beside it, in the same database: the report reads stays and the audit trail. */
  readonly registry: RegistryStore;
  /** Closes what the stores were opened on. */
  dispose(): Promise<void>;
}

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

/**
 * The behaviour every AlertStore adapter must show: every alert's state and history, open alerts,
 * what changed since a moment (the latest first cut to a limit), lists filtered by state and paged
 * by a cursor, and a ward's alarm load. Each adapter's spec calls this with a factory for fresh,
 * empty stores.
 */
export function describeAlertStoreContract(
  adapterName: string,
  openStores: () => Promise<AlertStoreUnderTest>,
): void {
  describe(`AlertStore contract: ${adapterName}`, () => {
    let alerts: AlertStore;
    let registry: RegistryStore;
    let dispose: () => Promise<void>;
    const base = Date.UTC(2026, 10, 28, 8, 0, 0);
    beforeEach(async () => {
      ({ alerts, registry, dispose } = await openStores());
    });
    afterEach(async () => {
      await dispose();
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
      const byAna = (action: string, at: string) => ({ at, actor: 'ana', action, subject: 'p9' });
      const p9 = {
        id: 'p9',
        name: 'Moved Later',
        identifiers: [],
        status: 'admitted' as const,
        ward: '4B',
        stayId: 'stay-p9',
        admittedAt: iso(0),
        spo2Scale: 1 as const,
      };
      await registry.addPatient(
        p9,
        { stayId: 'stay-p9', at: iso(0), location: { ward: '4B' } },
        byAna('patient.admitted', iso(0)),
      );
      const alert = desaturation('load-1', 'p9', iso(0));
      await alerts.writeAlertEvents([{ kind: 'raised', at: iso(0), alert }]);
      // She moves on after 20 s; the alarm stays with the ward it was raised on.
      await registry.movePatient({ ...p9, ward: '5A' }, byAna('patient.transferred', iso(20)));
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
      await registry.recordAudit({
        ...byAna('patient.alarms-paused', iso(40)),
        newValue: { scope: 'spo2', ward: '4B', from: iso(40), until: iso(160) },
      });
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
        patientMs: 20_000,
        truncated: true,
      });
      expect(
        (await alerts.alarmLoad({ ward: '5A', from: base, to: base + 7_200_000, limit: 10 }))
          .alerts,
      ).toEqual([]);
    });
  });
}
