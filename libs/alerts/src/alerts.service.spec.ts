// Proves an alert reaches the consoles even when its event cannot be persisted (store stand-in
// that fails), since a silenced alert would also silence all its repeats.
import type { AlertEvent } from '@vigil/contracts';
import type { AlertStore, TelemetryStore } from '@vigil/storage';
import { AlertsService } from './alerts.service';
import { OwnsEveryPatient } from './patient-ownership';

describe('AlertsService with a failing store (stand-in)', () => {
  it('announces the alert although the write failed', async () => {
    const store = {
      openAlerts: async () => [],
      writeAlertEvents: async () => {
        throw new Error('disk full');
      },
    } as unknown as AlertStore;
    const telemetry = { recordAlertEvents: async () => undefined } as unknown as TelemetryStore;
    const alerts = new AlertsService(
      store,
      telemetry,
      {
        escalateAfterMs: 60_000,
        remindEveryMs: 60_000,
      },
      new OwnsEveryPatient(),
    );
    const announced: AlertEvent[] = [];
    alerts.events$.subscribe((event) => announced.push(event));
    await alerts.breach({
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
    });
    expect(announced).toEqual([
      expect.objectContaining({
        kind: 'raised',
        alert: expect.objectContaining({ rule: 'spo2.below' }),
      }),
    ]);
  });
});
