// Proves the one acknowledgement rule both doors (HTTP and the console) use: only nurses and
// charge nurses, only on their wards, only an open alert, in the acknowledger's own name.
import type { AlertStore, TelemetryStore } from '@vigil/storage';
import {
  AcknowledgementRefusedError,
  AcknowledgementService,
  type Acknowledger,
} from './acknowledgement.service';
import { AlertsService } from './alerts.service';
import { OwnsEveryPatient } from './patient-ownership';

/** An alerts service on a store stand-in that keeps nothing, with one open high alert on ward-1. */
async function setUp() {
  const store = {
    openAlerts: async () => [],
    writeAlertEvents: async () => undefined,
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
  await alerts.breach({
    patientId: 'p1',
    deviceId: 'd1',
    category: 'physiological',
    condition: 'spo2.below',
    vital: 'spo2',
    value: 85,
    threshold: 90,
    priority: 'high',
    worse: 'below',
    ts: Date.now(),
  });
  const service = new AcknowledgementService(alerts, { wardOf: () => 'ward-1' });
  return { service, alertId: alerts.openAlerts()[0].id };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'acknowledged',
    (error: unknown) => (error instanceof AcknowledgementRefusedError ? error.code : error),
  );

describe('AcknowledgementService', () => {
  const nurse = (wards: string[]): Acknowledger => ({ username: 'ana', role: 'nurse', wards });

  it('refuses roles that may not acknowledge, another ward, and an alert not open', async () => {
    const { service, alertId } = await setUp();
    const admin: Acknowledger = { username: 'root', role: 'admin', wards: [] };
    expect(await refusal(service.acknowledge(alertId, admin))).toBe('AUTH.ROLE');
    expect(await refusal(service.acknowledge(alertId, nurse(['ward-2'])))).toBe('AUTH.WARD');
    expect(await refusal(service.acknowledge('no-such-alert', nurse(['ward-1'])))).toBe(
      'ALERT.NOT_OPEN',
    );
  });

  it("acknowledges on the nurse's ward in her name", async () => {
    const { service, alertId } = await setUp();
    await expect(service.acknowledge(alertId, nurse(['ward-1']))).resolves.toMatchObject({
      id: alertId,
      state: 'acknowledged',
      acknowledgedBy: 'ana',
    });
  });
});
