// Proves the alarm-load report on a real Vigil: alarms raised by real samples, acknowledged by a
// nurse or clearing on their own, and a pause, counted for the ward they were raised on; only
// the ward's charge nurses, administrators and auditors may read it, over at most 31 days.
import type { AlarmLoadReport, Alert } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  publishSustained,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe('alarm-load report', () => {
  let vigil: VigilHarness;
  let nurse: string;
  let wearable: MqttClient;
  let ward: Socket;
  let seq = 0;
  const startedAt = new Date().toISOString();

  const breach = (vitals: Record<string, number>) => {
    seq += 2;
    return publishSustained(wearable, 'wear-load', vitals, seq - 2);
  };
  const report = (query: string, token?: string) =>
    vigil.fetch(`/api/reports/alarm-load?${query}`, {}, token);

  beforeAll(async () => {
    vigil = await startVigil({ ESCALATE_AFTER_SECONDS: '600' });
    nurse = await signInAs(vigil, { username: 'nurse-load', role: 'nurse', wards: ['ward-5'] });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-load', name: 'Lou Load', ward: 'ward-5' },
      'wear-load',
    );
    wearable = await connectDevice(vigil, 'wear-load');
    ward = await connectConsole(vigil);
  });

  afterAll(async () => {
    ward?.close();
    await wearable?.endAsync(true);
    await vigil?.stop({ removeData: true });
  });

  it("counts the ward's alarms, their time to acknowledge, those that cleared alone, and pauses", async () => {
    const desaturation = nextEvent<Alert>(ward, 'alert:raised', (a) => a.rule === 'spo2.below');
    await breach({ spo2: 85 });
    const alarm = await desaturation;
    expect((await vigil.post(`/api/alerts/${alarm.id}/ack`, {}, nurse)).status).toBe(200);
    const fever = nextEvent<Alert>(ward, 'alert:raised', (a) => a.rule === 'temperature.above');
    await breach({ spo2: 97, temperature: 38.6 });
    const feverAlarm = await fever;
    const cleared = nextEvent<Alert>(
      ward,
      'alert:updated',
      (a) => a.id === feverAlarm.id && a.state === 'resolved',
    );
    await breach({ spo2: 97, temperature: 37 });
    await cleared;
    const paused = await vigil.post(
      '/api/patients/p-load/alarm-pause',
      { minutes: 2, scope: 'all', reason: 'washing' },
      nurse,
    );
    expect(paused.status).toBe(200);

    const answer = await report(`ward=ward-5&from=${startedAt}`);
    expect(answer.status).toBe(200);
    const load = (await answer.json()) as AlarmLoadReport;
    expect(load).toMatchObject({
      ward: 'ward-5',
      timeToAcknowledge: { acknowledged: 1 },
      pauses: { count: 1, minutes: 2, byScope: { all: 1 } },
      truncated: false,
    });
    const rules = Object.fromEntries(load.byRule.map((rule) => [rule.rule, rule]));
    expect(rules['spo2.below']).toMatchObject({ alarms: 1, high: 1, acknowledged: 1 });
    expect(rules['temperature.above']).toMatchObject({ alarms: 1, resolvedUnacknowledged: 1 });
    expect(load.byPatient[0]).toMatchObject({ patientId: 'p-load', name: 'Lou Load' });
    // She has lain there seconds: counted, too short for a rate per patient-day.
    expect(load.patientDays).toBeGreaterThan(0);
    expect(load.patientDays).toBeLessThan(0.01);
    expect(load.alarmsPerPatientDay).toBeUndefined();
    expect(load.timeToAcknowledge.medianSeconds).toBeGreaterThanOrEqual(0);
  });

  it('is for charge nurses of the ward, administrators and auditors, over at most 31 days', async () => {
    expect((await report('ward=ward-5', nurse)).status).toBe(403);
    const otherCharge = await signInAs(vigil, {
      username: 'charge-elsewhere',
      role: 'charge-nurse',
      wards: ['ward-6'],
    });
    expect((await report('ward=ward-5', otherCharge)).status).toBe(403);
    expect((await report('ward=ward-5', vigil.nurseToken)).status).toBe(200);
    const long = await report('ward=ward-5&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ code: 'REPORT.PERIOD' });
    expect((await report('ward=%3Cscript%3E')).status).toBe(400);
  });
});
