// Proves an alarm pause with real MQTT, HTTP and Socket.IO clients: during a two-minute pause the
// simulator's hypoxia story, streamed in real time, is evaluated and recorded but nothing is
// announced or escalated; it is announced within a second of the pause's end. Resuming early announces what the pause held back at once;
// only the ward's nurses may pause, and every pause is audited.
import type { AlarmPause, Alert } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import { SeededRandom } from '../device-simulator/src/random';
import { admitSimulatedPatient, vitalsAt } from '../device-simulator/src/patient-scenarios';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  openConsole,
  publishSustained,
  recordEvents,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('alarm pause', () => {
  let vigil: VigilHarness;
  let nurse: string;
  let wearable: MqttClient;
  let ward: Socket;
  let seq = 0;

  const breach = (vitals: Record<string, number>) => {
    seq += 2;
    return publishSustained(wearable, 'wear-pause', vitals, seq - 2);
  };
  const openAlerts = async () =>
    (await (await vigil.fetch('/api/alerts?state=open&patientId=p-pause')).json()) as Alert[];

  beforeAll(async () => {
    vigil = await startVigil({ ESCALATE_AFTER_SECONDS: '1', REMIND_EVERY_SECONDS: '1' });
    nurse = await signInAs(vigil, { username: 'nurse-pause', role: 'nurse', wards: ['ward-1'] });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-pause', name: 'Pia Paused', ward: 'ward-1' },
      'wear-pause',
    );
    wearable = await connectDevice(vigil, 'wear-pause');
    ward = await connectConsole(vigil, openConsole(vigil, nurse));
  });

  afterAll(async () => {
    ward?.close();
    await wearable?.endAsync();
    await vigil?.stop({ removeData: true });
  });

  it('lets only the ward nurses pause, within 1 to 15 minutes, and audits it', async () => {
    const body = { minutes: 1, scope: 'all', reason: 'repositioning' };
    expect((await vigil.post('/api/patients/p-pause/alarm-pause', body)).status).toBe(403);
    const tooLong = await vigil.post(
      '/api/patients/p-pause/alarm-pause',
      { ...body, minutes: 16 },
      nurse,
    );
    expect(tooLong.status).toBe(400);
    const paused = await vigil.post('/api/patients/p-pause/alarm-pause', body, nurse);
    expect(paused).toMatchObject({ status: 200, body: { scope: 'all', by: 'nurse-pause' } });
    const audit = (await (
      await vigil.fetch('/api/audit?subject=p-pause&action=patient.alarms-paused')
    ).json()) as unknown[];
    expect(audit).toHaveLength(1);
  });

  it('records the simulated hypoxia during a two-minute pause without announcing or escalating it, and announces it within a second of the end', async () => {
    const paused = await vigil.post(
      '/api/patients/p-pause/alarm-pause',
      { minutes: 2, scope: 'all', reason: 'repositioning' },
      nurse,
    );
    const pause = paused.body as AlarmPause;
    const heard = ['alert:raised', 'alert:updated', 'alert:escalated'].map((event) =>
      recordEvents<Alert | { alert: Alert }>(ward, event),
    );
    // The simulator's hypoxia story, one sample a second in real time: SpO2 falls 12 points in
    // 45 s while heart and respiratory rates compensate, and stays down.
    const random = new SeededRandom(7);
    const patient = admitSimulatedPatient('hypoxia', random);
    const startedAt = Date.now();
    let seenAt: number | undefined;
    const announced = nextEvent<Alert>(
      ward,
      'alert:raised',
      (alert) => alert.rule === 'spo2.below',
      Date.parse(pause.until) - startedAt + 5_000,
    ).then((alert) => {
      seenAt = Date.now();
      return alert;
    });
    let quietUntilEnd: Alert[] | undefined;
    while (seenAt === undefined && Date.now() < Date.parse(pause.until) + 5_000) {
      const now = Date.now();
      if (!quietUntilEnd && now >= Date.parse(pause.until) - 1_000)
        quietUntilEnd = heard.flatMap((events) => events.events as Alert[]);
      await wearable.publishAsync(
        'devices/wear-pause/vitals',
        JSON.stringify({
          ts: now,
          seq: ++seq,
          vitals: vitalsAt(patient, (now - startedAt) / 1000, random),
        }),
        { qos: 1 },
      );
      await sleep(1_000 - (Date.now() - now));
    }
    const alarm = await announced;
    expect((seenAt as number) - Date.parse(pause.until)).toBeLessThan(1_000);
    expect(Date.parse(alarm.raisedAt)).toBeLessThan(Date.parse(pause.until));
    expect(quietUntilEnd).toEqual([]);
    const recorded = await openAlerts();
    expect(recorded.map((alert) => [alert.rule, alert.priority])).toContainEqual([
      'spo2.below',
      'high',
    ]);
    for (const events of heard) events.stop();
  }, 180_000);

  it('announces what it held back as soon as a nurse resumes early', async () => {
    await vigil.post(
      '/api/patients/p-pause/alarm-pause',
      { minutes: 5, scope: 'systolicBp', reason: 'cuff being changed' },
      nurse,
    );
    const raised = recordEvents<Alert>(ward, 'alert:raised');
    await breach({ systolicBp: 84 });
    await sleep(1_000);
    expect(raised.events.filter((alert) => alert.rule === 'systolicBp.below')).toEqual([]);
    const announced = nextEvent<Alert>(ward, 'alert:raised', (a) => a.rule === 'systolicBp.below');
    const resumedAt = Date.now();
    const resumed = await vigil.fetch(
      '/api/patients/p-pause/alarm-pause',
      { method: 'DELETE' },
      nurse,
    );
    expect(resumed.status).toBe(204);
    await announced;
    expect(Date.now() - resumedAt).toBeLessThan(1_000);
    raised.stop();
  });

  it('keeps an alert announced before the pause in sight of a console that connects during it, and announces its change at the end', async () => {
    const [desaturation] = (await openAlerts()).filter((alert) => alert.rule === 'spo2.below');
    await vigil.post(
      '/api/patients/p-pause/alarm-pause',
      { minutes: 5, scope: 'all', reason: 'washing' },
      nurse,
    );
    // She recovers under the pause: the unacknowledged high alert latches, a change held back.
    await wearable.publishAsync(
      'devices/wear-pause/vitals',
      JSON.stringify({ ts: Date.now(), seq: ++seq, vitals: { spo2: 97 } }),
      { qos: 1 },
    );
    await sleep(500);
    const late = openConsole(vigil, nurse);
    const onConnect = recordEvents<Alert>(late, 'alert:raised');
    await connectConsole(vigil, late);
    await sleep(500);
    expect(onConnect.events.map((alert) => alert.id)).toContain(desaturation.id);
    const changed = nextEvent<Alert>(late, 'alert:updated', (a) => a.id === desaturation.id);
    await vigil.fetch('/api/patients/p-pause/alarm-pause', { method: 'DELETE' }, nurse);
    expect(await changed).toMatchObject({ state: 'latched' });
    late.close();
  });
});
