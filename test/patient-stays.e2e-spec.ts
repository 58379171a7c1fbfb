// Proves, with real HTTP, MQTT and Socket.IO clients, a patient's stay from admission to
// discharge: a transfer moves her, her open alerts and her live data to the new ward at once
// (consoles already connected included) and takes them from the old; discharge resolves her
// alerts and frees her wearable; the same wearable moved from one patient to the next keeps
// their charts and alarms apart, a batch buffered before the move included; readmission opens
// a new stay.
import type { Alert, Device, Patient, PatientHistory, Stay } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  nextMessage,
  openConsole,
  recordEvents,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('patient stays: transfer, discharge, readmission and wearables moved on', () => {
  let vigil: VigilHarness;
  let nurse1: string;
  let nurse2: string;
  let charge1: string;
  let charge2: string;
  const devices: MqttClient[] = [];
  const sockets: Socket[] = [];
  let seq = 0;

  const consoleOf = async (token: string) => {
    const socket = await connectConsole(vigil, openConsole(vigil, token));
    sockets.push(socket);
    return socket;
  };
  const device = async (id: string) => {
    const client = await connectDevice(vigil, id);
    devices.push(client);
    return client;
  };
  const publish = (client: MqttClient, id: string, samples: object[]) =>
    client.publishAsync(`devices/${id}/vitals`, JSON.stringify({ samples }), { qos: 1 });
  /** Systolic pressure at 84 held for 16 s of device time: a high alert. */
  const hypotension = (now = Date.now()) =>
    [now - 16_000, now].map((ts) => ({ ts, seq: ++seq, vitals: { systolicBp: 84 } }));
  const getJson = async <T>(path: string, token?: string): Promise<T> =>
    (await (await vigil.fetch(path, {}, token)).json()) as T;
  const historyOf = (patientId: string, from: number, to: number) =>
    getJson<PatientHistory>(`/api/patients/${patientId}/vitals?from=${from}&to=${to}&every=1s`);

  beforeAll(async () => {
    vigil = await startVigil({ ESCALATE_AFTER_SECONDS: '600' });
    nurse1 = await signInAs(vigil, { username: 'nurse-one', role: 'nurse', wards: ['ward-1'] });
    nurse2 = await signInAs(vigil, { username: 'nurse-two', role: 'nurse', wards: ['ward-2'] });
    charge1 = await signInAs(vigil, {
      username: 'charge-one',
      role: 'charge-nurse',
      wards: ['ward-1'],
    });
    charge2 = await signInAs(vigil, {
      username: 'charge-two',
      role: 'charge-nurse',
      wards: ['ward-2'],
    });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(devices.map((client) => client.endAsync()));
    await vigil?.stop({ removeData: true });
  });

  it("admits with identifiers, birth date and bed; only administrators and the ward's charge nurses may", async () => {
    const patient = {
      id: 'p-id',
      name: 'Ida Identified',
      ward: 'ward-1',
      bed: 'B12',
      birthDate: '1948-03-09',
      sex: 'female',
      identifiers: [{ system: 'urn:oid:1.2.3.4', value: 'MRN-0001', type: 'MR' }],
    };
    expect((await vigil.post('/api/patients', patient, nurse1)).status).toBe(403);
    expect((await vigil.post('/api/patients', patient, charge2)).status).toBe(403);
    const admitted = await vigil.post('/api/patients', patient, charge1);
    expect(admitted.status).toBe(201);
    expect(admitted.body).toMatchObject({ ...patient, status: 'admitted' });
    const sameMrn = await vigil.post('/api/patients', { ...patient, id: 'p-id-2' }, charge1);
    expect(sameMrn).toMatchObject({ status: 409, body: { code: 'IDENTIFIER.DUPLICATE' } });
    const badDate = await vigil.post('/api/patients', {
      ...patient,
      id: 'p3',
      birthDate: '1948-13-40',
    });
    expect(badDate).toMatchObject({ status: 400, body: { code: 'REQUEST.INVALID' } });
  });

  it('moves a transferred patient, her open alert and her live data to the new ward at once, over sockets already connected', async () => {
    await admitPatientWithDevice(
      vigil,
      { id: 'p-move', name: 'Moira Moved', ward: 'ward-1' },
      'wear-move',
    );
    const wearable = await device('wear-move');
    const ward1 = await consoleOf(nurse1);
    const ward2 = await consoleOf(nurse2);
    const raised = nextEvent<Alert>(ward1, 'alert:raised', (alert) => alert.patientId === 'p-move');
    await publish(wearable, 'wear-move', hypotension());
    const alert = await raised;

    // A charge nurse of the receiving ward cannot pull her over; the sending ward's can send her.
    const pulled = await vigil.post('/api/patients/p-move/transfer', { ward: 'ward-2' }, charge2);
    expect(pulled).toMatchObject({ status: 403, body: { code: 'AUTH.WARD' } });

    const left = nextEvent<{ patientId: string; reason: string }>(ward1, 'patient:left');
    const arrived = nextEvent<{ patient: Patient }>(ward2, 'patient:updated');
    const alertArrived = nextEvent<Alert>(ward2, 'alert:raised', (a) => a.id === alert.id);
    const started = Date.now();
    const moved = await vigil.post(
      '/api/patients/p-move/transfer',
      { ward: 'ward-2', bed: '7' },
      charge1,
    );
    expect(moved).toMatchObject({ status: 200, body: { ward: 'ward-2', bed: '7' } });
    expect(await left).toMatchObject({ patientId: 'p-move', reason: 'transferred' });
    expect((await arrived).patient).toMatchObject({ id: 'p-move', ward: 'ward-2' });
    expect((await alertArrived).state).toBe('active');
    expect(Date.now() - started).toBeLessThan(1_000);

    expect((await vigil.fetch('/api/patients/p-move', {}, nurse1)).status).toBe(403);
    expect((await vigil.fetch('/api/patients/p-move', {}, nurse2)).status).toBe(200);
    const ward2Alerts = await getJson<Alert[]>('/api/alerts?state=open', nurse2);
    expect(ward2Alerts.map((a) => a.id)).toContain(alert.id);
    const ward1Alerts = await getJson<Alert[]>('/api/alerts', nurse1);
    expect(ward1Alerts.filter((a) => a.patientId === 'p-move')).toEqual([]);

    // Her live data now reaches ward 2 only.
    const ward1Saw = ['vitals', 'alert:updated', 'alert:raised', 'patient:status'].map((event) =>
      recordEvents<{ patientId?: string }>(ward1, event),
    );
    const vitals = nextEvent<{ patientId: string }>(
      ward2,
      'vitals',
      (e) => e.patientId === 'p-move',
    );
    await publish(wearable, 'wear-move', [
      { ts: Date.now(), seq: ++seq, vitals: { heartRate: 80 } },
    ]);
    await vitals;
    await sleep(500);
    for (const seen of ward1Saw) expect(seen.events).toEqual([]);

    const stays = await getJson<Stay[]>('/api/patients/p-move/stays', nurse2);
    expect(stays).toHaveLength(1);
    expect(stays[0].locations.map((l) => [l.ward, l.bed, Boolean(l.to)])).toEqual([
      ['ward-1', undefined, true],
      ['ward-2', '7', false],
    ]);
    const audit = await getJson<
      { action: string; actor: string; oldValue: unknown; newValue: unknown }[]
    >('/api/audit?subject=p-move&action=patient.transferred');
    expect(audit).toEqual([
      expect.objectContaining({
        actor: 'charge-one',
        oldValue: { ward: 'ward-1' },
        newValue: { ward: 'ward-2', bed: '7' },
      }),
    ]);
  });

  it('discharges: resolves her open alerts as discharged, frees her wearable, and leaves her read-only and off the ward view', async () => {
    const ward2 = await consoleOf(nurse2);
    const open = (await getJson<Alert[]>('/api/alerts?state=open&patientId=p-move')).map(
      (a) => a.id,
    );
    expect(open.length).toBeGreaterThan(0);
    const resolved = recordEvents<Alert>(ward2, 'alert:updated');
    const left = nextEvent<{ patientId: string; reason: string }>(ward2, 'patient:left');

    const byNurse = await vigil.post('/api/patients/p-move/discharge', {}, nurse2);
    expect(byNurse.status).toBe(403);
    const discharged = await vigil.post(
      '/api/patients/p-move/discharge',
      { reason: 'home' },
      charge2,
    );
    expect(discharged).toMatchObject({ status: 200, body: { status: 'discharged' } });
    expect(await left).toMatchObject({ patientId: 'p-move', reason: 'discharged' });
    await sleep(200);
    for (const id of open)
      expect(resolved.events.find((a) => a.id === id)).toMatchObject({
        state: 'resolved',
        resolvedReason: 'discharged',
      });
    expect(await getJson<Alert[]>('/api/alerts?state=open&patientId=p-move')).toEqual([]);

    const again = await vigil.post('/api/patients/p-move/discharge', {}, charge2);
    expect(again).toMatchObject({ status: 409, body: { code: 'PATIENT.DISCHARGED' } });
    const settings = await vigil.fetch('/api/patients/p-move', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ spo2Scale: 2 }),
    });
    expect(settings.status).toBe(409);

    const onWard = await getJson<Patient[]>('/api/patients', nurse2);
    expect(onWard.map((p) => p.id)).not.toContain('p-move');
    const gone = await getJson<Patient[]>('/api/patients?status=discharged', nurse2);
    expect(gone.map((p) => p.id)).toContain('p-move');
    expect((await vigil.fetch(`/api/patients/p-move/vitals`, {}, nurse2)).status).toBe(200);

    const devicesNow = await getJson<Device[]>('/api/devices');
    expect(devicesNow.find((d) => d.id === 'wear-move')).toMatchObject({
      state: 'available',
      patientId: null,
    });
    // The wearable is still connected: what it sends now is nobody's.
    const wearable = devices[0];
    await wearable.subscribeAsync('devices/wear-move/errors');
    const reply = nextMessage(wearable, 'devices/wear-move/errors');
    await publish(wearable, 'wear-move', [
      { ts: Date.now(), seq: ++seq, vitals: { heartRate: 70 } },
    ]);
    expect(await reply).toMatchObject({ code: 'DEVICE.UNBOUND' });
  });

  it('moves one wearable from A to B: A keeps her samples, B gets none of them nor any alarm, even from a batch buffered before the move', async () => {
    await admitPatientWithDevice(
      vigil,
      { id: 'p-a', name: 'Ada Before', ward: 'ward-1' },
      'wear-shared',
    );
    await vigil.post('/api/patients', { id: 'p-b', name: 'Bea After', ward: 'ward-1' });
    const wearable = await device('wear-shared');
    const t0 = Date.now();
    await publish(wearable, 'wear-shared', [{ ts: t0, seq: ++seq, vitals: { heartRate: 71 } }]);

    // Taken off A and put on B; it kept, unsent, what it measured on A (a desaturation).
    await sleep(100);
    const beforeMove = Date.now();
    const buffered = [60, 40, 20].map((ago) => ({
      ts: beforeMove - ago,
      seq: ++seq,
      vitals: { spo2: 80, heartRate: 131 },
    }));
    const onA = (await vigil.post('/api/devices/wear-shared/unbind', {}, charge1)).status;
    expect(onA).toBe(200);
    const inUse = await vigil.post('/api/devices/wear-shared/unbind', {}, charge1);
    expect(inUse).toMatchObject({ status: 409, body: { code: 'DEVICE.NOT_BOUND' } });
    await sleep(50);
    const bound = await vigil.post('/api/devices/wear-shared/bind', { patientId: 'p-b' }, charge1);
    expect(bound).toMatchObject({ status: 200, body: { state: 'in-use', patientId: 'p-b' } });
    expect(await vigil.post('/api/devices/wear-shared/bind', { patientId: 'p-a' })).toMatchObject({
      status: 409,
      body: { code: 'DEVICE.IN_USE' },
    });
    const onB = { ts: Date.now(), seq: ++seq, vitals: { spo2: 97, heartRate: 64 } };
    await publish(wearable, 'wear-shared', [...buffered, onB]);

    const from = t0 - 1_000;
    const to = Date.now() + 1_000;
    const historyA = await historyOf('p-a', from, to);
    const historyB = await historyOf('p-b', from, to);
    expect(
      historyA.points.flatMap((p) => (p.vitals.spo2 === undefined ? [] : [p.vitals.spo2])),
    ).toContain(80);
    expect(historyB.points.map((p) => p.vitals.spo2)).toEqual([97]);
    await sleep(300);
    const alertsOf = (id: string) => getJson<Alert[]>(`/api/alerts?patientId=${id}`);
    expect((await alertsOf('p-b')).filter((a) => a.category === 'physiological')).toEqual([]);
    expect((await alertsOf('p-a')).filter((a) => a.category === 'physiological')).toEqual([]);
    const metrics = await (await vigil.fetch('/metrics')).text();
    expect(metrics).toMatch(/vigil_samples_earlier_wearer_total [1-9]/);

    const history = await getJson<{ patientId: string; to: string | null }[]>(
      '/api/devices/wear-shared/history',
      charge1,
    );
    expect(history.map((period) => [period.patientId, period.to === null])).toEqual([
      ['p-b', true],
      ['p-a', false],
    ]);
  });

  it('rotates the secret on a bind when asked: the connection made with the old one ends, and the old one no longer connects', async () => {
    await admitPatientWithDevice(vigil, { id: 'p-r1', name: 'Rita One', ward: 'ward-1' }, 'wear-r');
    await vigil.post('/api/patients', { id: 'p-r2', name: 'Rosa Two', ward: 'ward-1' });
    const wearable = await device('wear-r');
    const dropped = new Promise<void>((resolve) => wearable.once('close', () => resolve()));
    expect((await vigil.post('/api/devices/wear-r/unbind', {})).status).toBe(200);
    const bound = await vigil.post('/api/devices/wear-r/bind', {
      patientId: 'p-r2',
      rotateSecret: true,
    });
    const secret = (bound.body as { secret?: string }).secret;
    expect(secret).toMatch(/.{20,}/);
    await dropped;
    await expect(connectDevice(vigil, 'wear-r')).rejects.toThrow(/Not authorized/i);
    vigil.secrets.set('wear-r', secret as string);
    await (await device('wear-r')).endAsync();
  });

  it('opens a new stay on readmission; her history and alerts can be read stay by stay', async () => {
    await vigil.post('/api/patients/p-a/discharge', {});
    const readmitted = await vigil.post('/api/patients/p-a/admit', { ward: 'ward-2' }, charge2);
    expect(readmitted).toMatchObject({ status: 200, body: { status: 'admitted', ward: 'ward-2' } });
    expect(await vigil.post('/api/patients/p-a/admit', { ward: 'ward-2' })).toMatchObject({
      status: 409,
      body: { code: 'PATIENT.ADMITTED' },
    });
    const stays = await getJson<Stay[]>('/api/patients/p-a/stays', nurse2);
    expect(stays.map((stay) => [stay.endReason ?? 'open', stay.locations[0].ward])).toEqual([
      ['open', 'ward-2'],
      ['discharged', 'ward-1'],
    ]);
    const first = await getJson<PatientHistory>(
      `/api/patients/p-a/vitals?stay=${stays[1].id}&every=1s`,
      nurse2,
    );
    expect(first.points.length).toBeGreaterThan(0);
    const second = await getJson<PatientHistory>(
      `/api/patients/p-a/vitals?stay=${stays[0].id}&every=1s`,
      nurse2,
    );
    expect(second.points).toEqual([]);
    // Alerts, stay by stay: Moira's stay had her hypotension; Ada's new stay has nothing yet.
    const [moiraStay] = await getJson<Stay[]>('/api/patients/p-move/stays', nurse2);
    const moiraAlerts = await getJson<Alert[]>(
      `/api/alerts?patientId=p-move&stay=${moiraStay.id}`,
      nurse2,
    );
    expect(moiraAlerts.map((alert) => alert.rule)).toContain('systolicBp.below');
    expect(await getJson<Alert[]>(`/api/alerts?patientId=p-a&stay=${stays[0].id}`, nurse2)).toEqual(
      [],
    );
    expect((await vigil.fetch(`/api/alerts?stay=${stays[0].id}`)).status).toBe(400);
    const otherWard = await vigil.fetch(
      `/api/alerts?patientId=p-a&stay=${stays[0].id}`,
      {},
      nurse1,
    );
    expect(otherWard.status).toBe(403);
    const unknownStay = await vigil.fetch('/api/patients/p-a/vitals?stay=nope');
    expect(unknownStay.status).toBe(404);
  });
});
