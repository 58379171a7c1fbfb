// Proves an alert reaches the consoles whatever its store does: when its event cannot be
// persisted (a silenced alert would also silence all its repeats), and while the write is still
// under way (a stalled disk delays no alarm). The store is a stand-in.
import type { AlertEvent } from '@vigil/contracts';
import type { AlertStore, TelemetryStore } from '@vigil/storage';
import { type BreachReport } from './alert-book';
import { AlertsService } from './alerts.service';
import { OwnsEveryPatient } from './patient-ownership';

const LOW_SPO2: BreachReport = {
  patientId: 'p1',
  deviceId: 'd1',
  category: 'physiological',
  condition: 'spo2.below',
  vital: 'spo2',
  value: 85,
  threshold: 92,
  priority: 'high',
  worse: 'below',
  ts: Date.now(),
};

function alertsOn(writeAlertEvents: () => Promise<void>) {
  const store = { openAlerts: async () => [], writeAlertEvents } as unknown as AlertStore;
  const telemetry = { recordAlertEvents: async () => undefined } as unknown as TelemetryStore;
  const alerts = new AlertsService(
    store,
    telemetry,
    { escalateAfterMs: 60_000, remindEveryMs: 60_000 },
    new OwnsEveryPatient(),
  );
  const announced: AlertEvent[] = [];
  alerts.events$.subscribe((event) => announced.push(event));
  return { alerts, announced };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const raisedLowSpo2 = expect.objectContaining({
  kind: 'raised',
  alert: expect.objectContaining({ rule: 'spo2.below' }),
});

describe('AlertsService, whatever its store does (stand-in)', () => {
  it('announces the alert once it is durable, so a returning console finds it stored', async () => {
    let durable!: () => void;
    const { alerts, announced } = alertsOn(
      () => new Promise<void>((resolve) => (durable = resolve)),
    );
    const breach = alerts.breach(LOW_SPO2);
    await sleep(10);
    expect(announced).toEqual([]);
    durable();
    await breach;
    expect(announced).toEqual([raisedLowSpo2]);
  });

  it('announces the alert although the write failed, within a quarter of a second', async () => {
    const { alerts, announced } = alertsOn(async () => {
      throw new Error('disk full');
    });
    void alerts.breach(LOW_SPO2);
    await sleep(300);
    expect(announced).toEqual([raisedLowSpo2]);
    alerts.onModuleDestroy();
  });

  it('announces the alert while its write is stalled, and settles once it is durable', async () => {
    let durable!: () => void;
    const { alerts, announced } = alertsOn(
      () => new Promise<void>((resolve) => (durable = resolve)),
    );
    let settled = false;
    const breach = alerts.breach(LOW_SPO2).then(() => (settled = true));
    await sleep(300);
    expect(announced).toEqual([raisedLowSpo2]);
    expect(settled).toBe(false);
    durable();
    await breach;
    expect(settled).toBe(true);
  });
});
