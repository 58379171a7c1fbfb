// Proves a nurse's observation sets with real HTTP, MQTT and Socket.IO: a wearable that cannot
// measure consciousness or oxygen plus a nurse's set (ACVPU C, on oxygen) gives a complete NEWS2
// with the right subscores and the source of each; the set alerts at once; entered in error, it
// is scored out again; administrators and other wards are refused; bad sets are refused whole;
// and the sets that count survive a restart.
import type { Alert, News2View, Observation } from '@vigil/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  openConsole,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

describe("nurses' observation sets and NEWS2 from both sources", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-obs-'));
  let vigil: VigilHarness;
  let nurse: string;
  let otherWardNurse: string;
  let wearable: MqttClient;
  let seq = 0;

  const getJson = async <T>(path: string, token = nurse): Promise<T> =>
    (await (await vigil.fetch(path, {}, token)).json()) as T;
  const record = (body: unknown, token = nurse, patientId = 'p-obs') =>
    vigil.post(`/api/patients/${patientId}/observations`, body, token);

  beforeAll(async () => {
    vigil = await startVigil({ DATA_DIR: dataDir });
    nurse = await signInAs(vigil, { username: 'nurse-obs', role: 'nurse', wards: ['ward-1'] });
    otherWardNurse = await signInAs(vigil, {
      username: 'nurse-away',
      role: 'nurse',
      wards: ['ward-2'],
    });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-obs', name: 'Olive Obs', ward: 'ward-1' },
      'wear-obs',
    );
    wearable = await connectDevice(vigil, 'wear-obs');
    // What a wrist wearable measures: no level of consciousness, no air or oxygen.
    await wearable.publishAsync(
      'devices/wear-obs/vitals',
      JSON.stringify({
        ts: Date.now(),
        seq: ++seq,
        vitals: { heartRate: 80, respRate: 18, spo2: 97, temperature: 37, systolicBp: 120 },
      }),
      { qos: 1 },
    );
  });

  afterAll(async () => {
    await wearable?.endAsync();
    await vigil?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('scores the wearable alone as incomplete, naming what is missing', async () => {
    const news2 = await getJson<News2View>('/api/patients/p-obs/news2');
    expect(news2.complete).toBe(false);
    expect(news2.missing).toEqual(['airOrOxygen', 'consciousness']);
    expect(news2.sources.heartRate).toMatchObject({ value: 80, deviceId: 'wear-obs', fresh: true });
  });

  it('refuses a set from an administrator, from another ward, and a set out of range, in the future or empty', async () => {
    const set = { effectiveAt: new Date().toISOString(), vitals: { consciousness: 'C' } };
    expect((await record(set, vigil.adminToken)).status).toBe(403);
    expect((await record(set, otherWardNurse)).status).toBe(403);
    const bad = await Promise.all([
      record({ ...set, vitals: { spo2: 120 } }),
      record({ ...set, vitals: { consciousness: 'X' } }),
      record({ ...set, effectiveAt: new Date(Date.now() + 10 * 60_000).toISOString() }),
      record({ ...set, vitals: {} }),
      record({ ...set, vitals: { battery: 50 } }),
    ]);
    expect(bad.map((answer) => [answer.status, (answer.body as { code: string }).code])).toEqual(
      Array(5).fill([400, 'REQUEST.INVALID']),
    );
    expect(await getJson<Observation[]>('/api/patients/p-obs/observations')).toEqual([]);
  });

  it("completes NEWS2 with a nurse's ACVPU and oxygen, names each source, and alerts at once", async () => {
    const ward = await connectConsole(vigil, openConsole(vigil, nurse));
    const raised = nextEvent<Alert>(ward, 'alert:raised', (alert) => alert.rule === 'news2');
    const preview = await vigil.post(
      '/api/patients/p-obs/observations/preview',
      { effectiveAt: Date.now(), vitals: { consciousness: 'C', onOxygen: true } },
      nurse,
    );
    expect(preview).toMatchObject({ status: 200, body: { total: 5, complete: true } });
    expect(await getJson<Observation[]>('/api/patients/p-obs/observations')).toEqual([]);

    const recorded = await record({
      effectiveAt: new Date().toISOString(),
      vitals: { consciousness: 'C', onOxygen: true },
      oxygen: { flowLpm: 2, device: 'nasal cannula' },
      note: 'new confusion',
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      recordedBy: 'nurse-obs',
      late: false,
      oxygen: { flowLpm: 2, device: 'nasal cannula' },
      news2: { total: 5, risk: 'medium', complete: true },
    });
    const news2 = await getJson<News2View>('/api/patients/p-obs/news2');
    expect(news2).toMatchObject({
      complete: true,
      total: 5,
      subscores: { consciousness: 3, airOrOxygen: 2, heartRate: 0, spo2: 0 },
    });
    expect(news2.sources.consciousness).toMatchObject({
      value: 'C',
      recordedBy: 'nurse-obs',
      observationId: (recorded.body as Observation).id,
    });
    expect(news2.sources.respRate).toMatchObject({ deviceId: 'wear-obs' });
    expect(await raised).toMatchObject({ rule: 'news2', priority: 'medium', value: 5 });
    ward.close();
  });

  it('flags a late entry, retracts a set entered in error (audited) and scores NEWS2 again without it', async () => {
    const late = await record({
      effectiveAt: Date.now() - 60 * 60_000,
      vitals: { systolicBp: 118 },
    });
    expect(late).toMatchObject({ status: 201, body: { late: true } });
    const [latest] = await getJson<Observation[]>('/api/patients/p-obs/observations');
    const retracted = await vigil.post(
      `/api/patients/p-obs/observations/${latest.id}/entered-in-error`,
      { reason: 'wrong patient' },
      nurse,
    );
    expect(retracted).toMatchObject({
      status: 200,
      body: {
        enteredInError: { by: 'nurse-obs', reason: 'wrong patient' },
        news2After: { complete: false },
      },
    });
    const again = await vigil.post(
      `/api/patients/p-obs/observations/${latest.id}/entered-in-error`,
      { reason: 'twice' },
      nurse,
    );
    expect(again).toMatchObject({ status: 409, body: { code: 'OBSERVATION.ENTERED_IN_ERROR' } });
    const news2 = await getJson<News2View>('/api/patients/p-obs/news2');
    expect(news2.missing).toEqual(['airOrOxygen', 'consciousness']);
    const audit = await getJson<{ action: string }[]>(
      '/api/audit?subject=p-obs&action=observation.entered-in-error',
      vigil.adminToken,
    );
    expect(audit.map((entry) => entry.action)).toEqual([
      'observation.entered-in-error: wrong patient',
    ]);
  });

  it('dates the next set by NEWS2, reminds the ward when it is overdue, and clears the reminder with the next set', async () => {
    const ward = await connectConsole(vigil, openConsole(vigil, nurse));
    const reminded = nextEvent<Alert>(
      ward,
      'alert:raised',
      (alert) => alert.rule === 'observation.overdue',
      12_000,
    );
    // She deteriorates: NEWS2 7 or more asks for a set every 30 minutes, and her last valid set
    // (the late one) was taken an hour ago.
    await wearable.publishAsync(
      'devices/wear-obs/vitals',
      JSON.stringify({
        ts: Date.now(),
        seq: ++seq,
        vitals: { heartRate: 135, respRate: 27, spo2: 90, temperature: 39.5, systolicBp: 88 },
      }),
      { qos: 1 },
    );
    const reminder = await reminded;
    expect(reminder).toMatchObject({ category: 'care', priority: 'low', threshold: 30 });
    const overdue = await getJson<News2View>('/api/patients/p-obs/news2');
    expect(Date.parse(overdue.nextObservationDue as string)).toBeLessThan(Date.now());

    const cleared = nextEvent<Alert>(ward, 'alert:updated', (alert) => alert.id === reminder.id);
    await record({ effectiveAt: Date.now(), vitals: { consciousness: 'A', onOxygen: false } });
    expect(await cleared).toMatchObject({ state: 'resolved' });
    const next = await getJson<News2View>('/api/patients/p-obs/news2');
    const inMinutes = (Date.parse(next.nextObservationDue as string) - Date.now()) / 60_000;
    expect(inMinutes).toBeGreaterThan(29);
    expect(inMinutes).toBeLessThanOrEqual(30);
    ward.close();
  });

  it('takes back the sets that still count after a restart', async () => {
    await record({ effectiveAt: Date.now(), vitals: { consciousness: 'A', onOxygen: false } });
    await wearable.endAsync();
    const secret = vigil.secrets.get('wear-obs') as string;
    await vigil.stop();
    vigil = await startVigil({ DATA_DIR: dataDir });
    vigil.secrets.set('wear-obs', secret);
    nurse = await signInAs(vigil, { username: 'nurse-obs', role: 'nurse', wards: ['ward-1'] });
    const news2 = await getJson<News2View>('/api/patients/p-obs/news2');
    expect(news2.sources.consciousness).toMatchObject({ value: 'A', recordedBy: 'nurse-obs' });
    expect(news2.sources.onOxygen).toMatchObject({ value: false });
    wearable = await connectDevice(vigil, 'wear-obs');
  });
});
