// Proves, with real clients, the alerting a nurse relies on: a sustained breach raises exactly one
// alert, an artifact none, flapping no storm; a silent device raises a technical alarm on time;
// an acknowledgement reaches every console; escalation, NEWS2, and what a returning console missed.
import { COPD_OVERRIDES } from '@vigil/client';
import type { Alert, VitalsEvent } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  openConsole,
  signInAs,
  recordEvents,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('clinical alerting end to end', () => {
  let vigil: VigilHarness;
  let nurse: Socket;
  const devices: MqttClient[] = [];
  let patients = 0;

  /** A new patient with a connected wearable; sends a batch of samples one second apart in device time. */
  async function admitted() {
    const n = ++patients;
    const patientId = `p-c${n}`;
    const deviceId = `wear-c${n}`;
    await admitPatientWithDevice(
      vigil,
      { id: patientId, name: `Patient ${n}`, ward: 'ward-7' },
      deviceId,
    );
    const device = await connectDevice(vigil, deviceId);
    devices.push(device);
    let seq = 0;
    const send = async (series: Record<string, number>[], endTs = Date.now()) => {
      const start = endTs - (series.length - 1) * 1000;
      const samples = series.map((vitals, i) => ({ ts: start + i * 1000, seq: ++seq, vitals }));
      await device.publishAsync(`devices/${deviceId}/vitals`, JSON.stringify({ samples }), {
        qos: 1,
      });
    };
    return { patientId, deviceId, device, send };
  }

  /** A new patient whose systolic pressure of 82 mmHg (no sustain time) raised a high alert. */
  async function admittedWithLowPressureAlert() {
    const patient = await admitted();
    const raised = nextEvent<Alert>(
      nurse,
      'alert:raised',
      (alert) => alert.patientId === patient.patientId && alert.rule === 'systolicBp.below',
    );
    await patient.send([{ systolicBp: 82 }]);
    return { ...patient, alert: await raised };
  }

  /** The alerts raised and updated for a patient while `act` runs and its samples are processed. */
  async function alertsDuring(patientId: string, act: () => Promise<void>) {
    const raised = recordEvents<Alert>(nurse, 'alert:raised');
    const updated = recordEvents<Alert>(nurse, 'alert:updated');
    const seen = processed(patientId);
    await act();
    await seen;
    await sleep(300);
    raised.stop();
    updated.stop();
    const mine = (alert: Alert) => alert.patientId === patientId;
    return { raised: raised.events.filter(mine), updated: updated.events.filter(mine) };
  }

  /** Waits until the console has seen a vitals event of the patient, i.e. the batch was processed. */
  const processed = (patientId: string) =>
    nextEvent<VitalsEvent>(nurse, 'vitals', (event) => event.patientId === patientId);

  beforeAll(async () => {
    vigil = await startVigil({
      NO_DATA_TIMEOUT_SECONDS: '2',
      LOST_DEVICE_GROUPING_SECONDS: '1',
      ESCALATE_AFTER_SECONDS: '2',
      REMIND_EVERY_SECONDS: '1',
    });
    nurse = await connectConsole(vigil);
  });

  afterAll(async () => {
    nurse?.close();
    await Promise.all(devices.map((device) => device.endAsync(true)));
    await vigil?.stop({ removeData: true });
  });

  it('raises exactly one alert for a breach sustained for 20 s', async () => {
    const { patientId, send } = await admitted();
    const { raised } = await alertsDuring(patientId, () =>
      send(Array.from({ length: 20 }, () => ({ spo2: 85 }))),
    );
    expect(raised.filter((alert) => alert.rule === 'spo2.below')).toEqual([
      expect.objectContaining({ priority: 'high', value: 85 }),
    ]);
  });

  it('raises nothing for a single-sample artifact', async () => {
    const { patientId, send } = await admitted();
    const { raised } = await alertsDuring(patientId, () =>
      send(
        Array.from({ length: 30 }, (_, i) => ({
          spo2: i === 12 ? 70 : 97,
          heartRate: i === 20 ? 190 : 72,
        })),
      ),
    );
    expect(raised).toEqual([]);
  });

  it('keeps values flapping around a threshold to one alert, without a storm of raises and clears', async () => {
    const { patientId, send } = await admitted();
    // 20 s at 85 %, then a minute alternating 93 % (breaches 94) and 94.5 % (inside the 1 % clear band).
    const { raised, updated } = await alertsDuring(patientId, () =>
      send([
        ...Array.from({ length: 20 }, () => ({ spo2: 85 })),
        ...Array.from({ length: 60 }, (_, i) => ({ spo2: i % 2 ? 94.5 : 93 })),
      ]),
    );
    expect(raised.filter((alert) => alert.rule === 'spo2.below')).toHaveLength(1);
    expect(updated.filter((alert) => alert.rule === 'spo2.below')).toEqual([]);
  });

  it('raises a technical alarm for a silent device within its timeout and grouping window plus one second', async () => {
    const { patientId, send } = await admitted();
    const silent = nextEvent<Alert>(
      nurse,
      'alert:raised',
      (alert) => alert.patientId === patientId && alert.rule === 'device.no-data',
      6_000,
    );
    const seen = processed(patientId);
    await send([{ heartRate: 70 }]);
    await seen;
    const lastSample = Date.now();
    const alarm = await silent;
    expect(Date.now() - lastSample).toBeLessThanOrEqual(4_000);
    expect(alarm).toMatchObject({
      category: 'technical',
      priority: 'medium',
      vital: null,
      threshold: 2,
    });
  });

  it('sends an acknowledgement from one console to every other, and refuses an unknown alert', async () => {
    const { patientId, alert } = await admittedWithLowPressureAlert();
    const colleague = await connectConsole(vigil);
    try {
      const seenByColleague = nextEvent<Alert>(
        colleague,
        'alert:updated',
        (a) => a.id === alert.id && a.state === 'acknowledged',
      );
      const answer = await nurse.emitWithAck('alert:ack', { alertId: alert.id });
      expect(answer).toMatchObject({
        ok: true,
        alert: { state: 'acknowledged', acknowledgedBy: 'charge-nurse' },
      });
      expect(await seenByColleague).toMatchObject({
        acknowledgedBy: 'charge-nurse',
        acknowledgedAt: expect.any(String),
      });
      expect(await nurse.emitWithAck('alert:ack', { alertId: 'no-such-alert' })).toMatchObject({
        ok: false,
      });
      expect((await vigil.post(`/api/alerts/no-such-alert/ack`, {}, vigil.nurseToken)).status).toBe(
        404,
      );
      // Acknowledging is a clinical act: an administrator may not.
      expect((await vigil.post(`/api/alerts/${alert.id}/ack`, {})).status).toBe(403);
    } finally {
      colleague.close();
    }
    const listed = (await (
      await vigil.fetch(`/api/alerts?patientId=${patientId}`)
    ).json()) as (Alert & {
      history: { kind: string; by?: string }[];
    })[];
    expect(listed.find((a) => a.id === alert.id)?.history).toEqual([
      expect.objectContaining({ kind: 'raised' }),
      expect.objectContaining({ kind: 'acknowledged', by: 'charge-nurse' }),
    ]);
  });

  it('escalates an unacknowledged high-priority alert on time, and a returning console learns it was resolved', async () => {
    const { patientId, send, alert } = await admittedWithLowPressureAlert();
    const escalated = await nextEvent<{ kind: string; alert: Alert }>(
      nurse,
      'alert:escalated',
      (event) => event.alert.id === alert.id,
      4_000,
    );
    expect(escalated).toMatchObject({ kind: 'escalated', alert: { escalationLevel: 1 } });
    expect(Date.now() - Date.parse(alert.raisedAt)).toBeLessThan(3_500);
    const reminded = await nextEvent<{ kind: string; alert: Alert }>(
      nurse,
      'alert:escalated',
      (event) => event.alert.id === alert.id,
      3_000,
    );
    expect(reminded.kind).toBe('reminded');

    // A console goes away; the alert is acknowledged over HTTP and then clears while it is away.
    const since = new Date().toISOString();
    const away = openConsole(vigil);
    const ben = await signInAs(vigil, { username: 'nurse-ben', role: 'nurse', wards: ['ward-7'] });
    const ack = await vigil.post(`/api/alerts/${alert.id}/ack`, {}, ben);
    const seen = processed(patientId);
    await send([{ systolicBp: 124 }]);
    await seen;
    const missed = nextEvent<Alert>(away, 'alert:updated', (a) => a.id === alert.id);
    away.auth = { ...(away.auth as Record<string, unknown>), since };
    await connectConsole(vigil, away);
    expect(ack.status).toBe(200);
    expect(await missed).toMatchObject({ state: 'resolved', acknowledgedBy: 'nurse-ben' });
    away.close();
  });

  it('scores NEWS2 from the latest values, switches a patient to Scale 2 with an audit entry, and alerts on a band rise', async () => {
    const { patientId, send } = await admitted();
    const seen = processed(patientId);
    await send([{ respRate: 22, spo2: 89, heartRate: 95, systolicBp: 115, temperature: 37.2 }]);
    await seen;
    const score = (await (await vigil.fetch(`/api/patients/${patientId}/news2`)).json()) as Record<
      string,
      unknown
    >;
    expect(score).toMatchObject({
      total: 6,
      risk: 'medium',
      scale: 1,
      complete: false,
      missing: ['airOrOxygen', 'consciousness'],
    });

    const patch = await vigil.fetch(`/api/patients/${patientId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spo2Scale: 2 }),
    });
    expect(patch.status).toBe(200);
    const rescored = (await (
      await vigil.fetch(`/api/patients/${patientId}/news2`)
    ).json()) as Record<string, unknown>;
    expect(rescored).toMatchObject({ total: 3, scale: 2, subscores: { spo2: 0 } });
    const audit = (await (
      await vigil.fetch(`/api/patients/${patientId}/audit`)
    ).json()) as unknown[];
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'admin', action: 'patient.admitted' }),
      expect.objectContaining({
        actor: 'admin',
        action: 'patient.spo2-scale',
        oldValue: 1,
        newValue: 2,
      }),
    ]);

    const high = nextEvent<Alert>(
      nurse,
      'alert:updated',
      (a) => a.patientId === patientId && a.rule === 'news2' && a.priority === 'high',
    );
    // A band must hold 15 s before it alerts: 17 samples, one a second, after the earlier ones
    // (an older sample arriving late does not replace a fresher NEWS2 input).
    await send(
      Array.from({ length: 17 }, () => ({
        respRate: 26,
        heartRate: 135,
        systolicBp: 88,
        temperature: 39.4,
      })),
      Date.now() + 17_000,
    );
    expect((await high).message).toMatch(/^NEWS2 \d+ \(high, partial\): Emergency response/);
  });

  it('applies a per-patient threshold override to the next sample, audited', async () => {
    const { patientId, send } = await admitted();
    const response = await vigil.fetch(`/api/patients/${patientId}/thresholds`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reason: 'COPD, target 88-92 %',
        thresholds: COPD_OVERRIDES,
      }),
    });
    expect(response.status).toBe(200);
    const { raised } = await alertsDuring(patientId, () =>
      send(Array.from({ length: 20 }, () => ({ spo2: 89 }))),
    );
    expect(raised.filter((alert) => alert.rule === 'spo2.below')).toEqual([]);
    const bad = await vigil.fetch(`/api/patients/${patientId}/thresholds`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        thresholds: [{ vital: 'pulse', comparison: 'sideways', threshold: 'high' }],
      }),
    });
    expect(bad.status).toBe(400);
    const audit = (await (
      await vigil.fetch(`/api/patients/${patientId}/audit`)
    ).json()) as unknown[];
    expect(audit).toEqual([
      expect.objectContaining({ action: 'patient.admitted' }),
      expect.objectContaining({
        actor: 'admin',
        action: 'patient.thresholds: COPD, target 88-92 %',
        oldValue: [],
      }),
    ]);
  });
});
