// Proves, with real HTTP and Socket.IO clients, that every person signs in and sees only what her
// role and wards allow: a nurse of ward 1 receives nothing of ward 2 and gets 403 from its routes,
// escalations reach the ward's charge nurse, an unauthenticated or forged socket is refused, a
// disabled user is cut off at once, failed sign-ins are throttled, and all of it is audited.
import type { Alert } from '@vigil/contracts';
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import {
  TEST_ADMIN,
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  openConsole,
  recordEvents,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const SIGNING_KEY = 'a-signing-key-for-the-people-access-test-only';

/** An HS256 JWT signed with `key`, as a forger or an old session would present it. */
function jwt(claims: Record<string, unknown>, key: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('people: roles, wards and sessions', () => {
  let vigil: VigilHarness;
  let ward1Nurse: string;
  let ward2Nurse: string;
  let ward2Charge: string;
  let auditor: string;
  const devices = new Map<string, MqttClient>();
  const sockets: Socket[] = [];
  let seq = 0;

  const consoleOf = async (token: string) => {
    const socket = await connectConsole(vigil, openConsole(vigil, token));
    sockets.push(socket);
    return socket;
  };

  /** A breach of systolic pressure held for 16 s of device time: a high alert. */
  const breach = (deviceId: string) => {
    const now = Date.now();
    const samples = [now - 16_000, now].map((ts) => ({
      ts,
      seq: ++seq,
      vitals: { systolicBp: 84, heartRate: 77 },
    }));
    return devices
      .get(deviceId)
      ?.publishAsync(`devices/${deviceId}/vitals`, JSON.stringify({ samples }), { qos: 1 });
  };

  beforeAll(async () => {
    vigil = await startVigil({
      AUTH_SIGNING_KEY: SIGNING_KEY,
      ESCALATE_AFTER_SECONDS: '1',
      LOGIN_MAX_FAILURES: '3',
    });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-w1', name: 'Ward One', ward: 'ward-1' },
      'wear-w1',
    );
    await admitPatientWithDevice(
      vigil,
      { id: 'p-w2', name: 'Ward Two', ward: 'ward-2' },
      'wear-w2',
    );
    for (const id of ['wear-w1', 'wear-w2']) devices.set(id, await connectDevice(vigil, id));
    ward1Nurse = await signInAs(vigil, { username: 'nina', role: 'nurse', wards: ['ward-1'] });
    ward2Nurse = await signInAs(vigil, { username: 'omar', role: 'nurse', wards: ['ward-2'] });
    ward2Charge = await signInAs(vigil, {
      username: 'chidi',
      role: 'charge-nurse',
      wards: ['ward-2'],
    });
    auditor = await signInAs(vigil, { username: 'aud', role: 'auditor' });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all([...devices.values()].map((device) => device.endAsync()));
    await vigil?.stop({ removeData: true });
  });

  it('refuses HTTP without a valid token, and a socket without one, with a forged one or an expired one', async () => {
    expect((await fetch(`${vigil.httpUrl}/api/patients`)).status).toBe(401);
    expect((await vigil.fetch('/api/patients', {}, 'not-a-token')).status).toBe(401);
    expect((await fetch(`${vigil.httpUrl}/health`)).status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    // The administrator's live session: a token names the session it belongs to.
    const { sid } = JSON.parse(
      Buffer.from(vigil.adminToken.split('.')[1], 'base64url').toString(),
    ) as { sid: string };
    const claims = { sub: 'admin', sid, iss: 'vigil', aud: 'vigil', iat: now };
    const refusals = [
      {},
      { token: 'garbage' },
      { token: jwt({ ...claims, exp: now + 600 }, 'some-other-key-of-sufficient-length') },
      { token: jwt({ ...claims, iat: now - 1200, exp: now - 600 }, SIGNING_KEY) },
      { token: jwt({ ...claims, sub: 'nobody', exp: now + 600 }, SIGNING_KEY) },
      { token: jwt({ ...claims, sid: 'no-such-session', exp: now + 600 }, SIGNING_KEY) },
    ];
    for (const auth of refusals) {
      const socket = openConsole(vigil);
      socket.auth = auth;
      await expect(connectConsole(vigil, socket)).rejects.toThrow('unauthorized');
      socket.close();
    }
    // The same claims, rightly signed and in date, are accepted: the refusals above are the key's.
    const genuine = openConsole(vigil);
    genuine.auth = { token: jwt({ ...claims, exp: now + 600 }, SIGNING_KEY) };
    await connectConsole(vigil, genuine);
    genuine.close();
  });

  it("gives a ward 1 nurse nothing of ward 2 over Socket.IO, while ward 2's nurse and charge nurse get its alert and escalation", async () => {
    const nina = await consoleOf(ward1Nurse);
    const omar = await consoleOf(ward2Nurse);
    const chidi = await consoleOf(ward2Charge);
    const ninaSaw = [
      'alert:raised',
      'alert:updated',
      'alert:escalated',
      'vitals',
      'patient:status',
    ].map((event) => recordEvents<{ patientId?: string; alert?: Alert }>(nina, event));
    const omarAlert = nextEvent<Alert>(omar, 'alert:raised', (alert) => alert.patientId === 'p-w2');
    const escalated = nextEvent<{ kind: string; alert: Alert }>(
      chidi,
      'alert:escalated',
      (event) => event.kind === 'escalated' && event.alert.patientId === 'p-w2',
      4_000,
    );
    const omarEscalations = recordEvents<{ kind: string }>(omar, 'alert:escalated');
    const ninaVitals = nextEvent<{ patientId: string }>(
      nina,
      'vitals',
      (event) => event.patientId === 'p-w1',
    );
    await breach('wear-w2');
    await devices
      .get('wear-w1')
      ?.publishAsync(
        'devices/wear-w1/vitals',
        JSON.stringify({ ts: Date.now(), seq: ++seq, vitals: { heartRate: 72 } }),
        { qos: 1 },
      );
    const alert = await omarAlert;
    expect(alert).toMatchObject({ patientId: 'p-w2', priority: 'high' });
    await escalated;
    await ninaVitals; // she is live: her own ward's vitals reach her
    await sleep(300);
    const leaked = ninaSaw
      .flatMap((recorder) => recorder.events)
      .filter((event) => (event.patientId ?? event.alert?.patientId) === 'p-w2');
    expect(leaked).toEqual([]);
    expect(omarEscalations.events.filter((event) => event.kind === 'escalated')).toEqual([]);

    // Nor may she acknowledge it, over the socket or HTTP.
    expect(await nina.emitWithAck('alert:ack', { alertId: alert.id })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not assigned/),
    });
    expect((await vigil.post(`/api/alerts/${alert.id}/ack`, {}, ward1Nurse)).status).toBe(403);
    expect(await omar.emitWithAck('alert:ack', { alertId: alert.id })).toMatchObject({
      ok: true,
      alert: { acknowledgedBy: 'omar' },
    });
  });

  it('answers a ward 1 nurse 403 on every ward 2 patient route, and lists only her ward', async () => {
    for (const path of [
      '/api/patients/p-w2',
      '/api/patients/p-w2/vitals',
      '/api/patients/p-w2/news2',
      '/api/patients/p-w2/thresholds',
    ]) {
      const response = await vigil.fetch(path, {}, ward1Nurse);
      expect([path, response.status]).toEqual([path, 403]);
    }
    expect((await vigil.fetch('/api/patients/p-w1/vitals', {}, ward1Nurse)).status).toBe(200);
    const patients = (await (await vigil.fetch('/api/patients', {}, ward1Nurse)).json()) as {
      id: string;
    }[];
    expect(patients.map((patient) => patient.id)).toEqual(['p-w1']);
    const alerts = (await (await vigil.fetch('/api/alerts', {}, ward1Nurse)).json()) as Alert[];
    expect(alerts.filter((alert) => alert.patientId === 'p-w2')).toEqual([]);
  });

  it('keeps each role to its work: nurses cannot administer, auditors only read', async () => {
    const admit = { id: 'p-x', name: 'X', ward: 'ward-1' };
    expect((await vigil.post('/api/patients', admit, ward1Nurse)).status).toBe(403);
    expect((await vigil.post('/api/patients', admit, auditor)).status).toBe(403);
    expect(
      (await vigil.post('/api/devices', { id: 'w-x', patientId: 'p-w1' }, auditor)).status,
    ).toBe(403);
    expect((await vigil.fetch('/api/audit', {}, ward1Nurse)).status).toBe(403);
    expect((await vigil.fetch('/api/users', {}, ward1Nurse)).status).toBe(403);
    expect((await vigil.fetch('/api/audit', {}, auditor)).status).toBe(200);
    expect((await vigil.fetch('/api/patients/p-w2/vitals', {}, auditor)).status).toBe(200);
    const auditorSocket = await consoleOf(auditor);
    expect(await auditorSocket.emitWithAck('alert:ack', { alertId: 'whatever' })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/auditor cannot acknowledge/),
    });
    const weak = await vigil.post('/api/users', {
      username: 'weak',
      displayName: 'Weak',
      role: 'nurse',
      wards: ['ward-1'],
      password: 'short',
    });
    expect(weak.status).toBe(400);
    const wardless = await vigil.post('/api/users', {
      username: 'wardless',
      displayName: 'No Ward',
      role: 'nurse',
      password: 'long-enough-password',
    });
    expect(wardless).toMatchObject({ status: 400, body: { code: 'USER.INVALID' } });
  });

  it('refreshes with a single-use HttpOnly cookie and never returns a password hash', async () => {
    const login = await vigil.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^vigil_refresh=[\w-]+; Max-Age=43200; Path=\/api\/auth; Expires=.*; HttpOnly; SameSite=Strict$/,
    );
    const session = (await login.json()) as Record<string, unknown>;
    expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { role: 'admin' } });
    expect(JSON.stringify(session)).not.toMatch(/refresh|passwordHash|scrypt/);
    const pair = cookie.split(';')[0];
    const refresh = () =>
      vigil.fetch('/api/auth/refresh', { method: 'POST', headers: { cookie: pair } }, '');
    const renewed = await refresh();
    expect(renewed.status).toBe(200);
    expect(((await renewed.json()) as { accessToken: string }).accessToken).toMatch(/^eyJ/);
    expect((await refresh()).status).toBe(401);
    const users = JSON.stringify(await (await vigil.fetch('/api/users')).json());
    expect(users).toContain('"nina"');
    expect(users).not.toMatch(/scrypt|password/i);
  });

  it('cuts a disabled user off at once: her socket, her token and her password', async () => {
    const kim = await signInAs(vigil, { username: 'kim', role: 'nurse', wards: ['ward-1'] });
    const socket = await consoleOf(kim);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const disabled = await vigil.fetch('/api/users/kim', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(disabled.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect((await vigil.fetch('/api/patients', {}, kim)).status).toBe(401);
    const login = await vigil.post('/api/auth/login', {
      username: 'kim',
      password: 'kim-password-for-tests',
    });
    expect(login.status).toBe(401);
  });

  it('throttles failed sign-ins per user, even for the right password, and audits them', async () => {
    await signInAs(vigil, { username: 'lee', role: 'nurse', wards: ['ward-1'] });
    const attempt = (password: string) =>
      vigil.post('/api/auth/login', { username: 'lee', password });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const throttled = await vigil.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lee', password: 'lee-password-for-tests' }),
    });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another user on the same address is not locked out by lee's failures.
    expect((await vigil.post('/api/auth/login', TEST_ADMIN)).status).toBe(200);

    const audit = (await (await vigil.fetch('/api/audit?subject=lee')).json()) as {
      action: string;
      actor: string;
    }[];
    expect(audit.map((entry) => entry.action)).toEqual([
      'user.created',
      'auth.login',
      'auth.login-failed',
      'auth.login-failed',
      'auth.login-failed',
    ]);
    const acks = (await (await vigil.fetch('/api/audit?action=alert.acknowledged')).json()) as {
      actor: string;
    }[];
    expect(acks).toEqual([expect.objectContaining({ actor: 'omar' })]);
  });
});

describe('secrets and patient data kept out of the logs', () => {
  it('writes the first administrator password to a private file, and logs no password, secret, token, name or vital', async () => {
    const lines: string[] = [];
    const vigil = await startVigil({ ADMIN_PASSWORD: '' }, { logLines: lines });
    try {
      const file = join(vigil.dataDir, 'initial-admin-password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(24);
      const secret = await admitPatientWithDevice(
        vigil,
        { id: 'p-log', name: 'Zebulon Quixote', ward: 'ward-1' },
        'wear-log',
      );
      const device = await connectDevice(vigil, 'wear-log');
      const nurse = await connectConsole(vigil);
      const raised = nextEvent<Alert>(
        nurse,
        'alert:raised',
        (alert) => alert.patientId === 'p-log',
      );
      const now = Date.now();
      const samples = [now - 16_000, now].map((ts, i) => ({
        ts,
        seq: i + 1,
        vitals: { heartRate: 187, spo2: 83.5 },
      }));
      await device.publishAsync('devices/wear-log/vitals', JSON.stringify({ samples }), { qos: 1 });
      const alert = await raised;
      await nurse.emitWithAck('alert:ack', { alertId: alert.id });
      // A password typed into the user name field, as happens.
      await vigil.post('/api/auth/login', { username: password, password: 'x' });
      await device.endAsync();
      nurse.close();
      const logged = lines.join('\n');
      expect(logged).toContain('first administrator');
      // JSON lines: level and time on each, the component on the application's, and each
      // request once with its id, method, path and status, and nothing else of it.
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const entry of entries)
        expect(entry).toMatchObject({ level: expect.any(Number), time: expect.any(Number) });
      expect(entries).toContainEqual(
        expect.objectContaining({
          component: 'UsersService',
          msg: expect.stringMatching(/first administrator/),
        }),
      );
      const request = entries.find(
        (entry) => entry.res && (entry.req as { path?: string }).path === '/api/patients',
      );
      expect(request).toMatchObject({
        req: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          method: 'POST',
          path: '/api/patients',
        },
        res: { statusCode: 201 },
      });
      expect(Object.keys(request?.req as object).sort()).toEqual(['id', 'method', 'path']);
      for (const kept of [password, secret, vigil.adminToken, vigil.nurseToken, 'Zebulon'])
        expect(logged).not.toContain(kept);
      // The vitals as numbers of their own: a random alert id may well contain the digits 187.
      expect(logged).not.toMatch(/(?<![\w.-])(187|83\.5)(?![\w.])/);
      const audit = JSON.stringify(await (await vigil.fetch('/api/audit')).json());
      expect(audit).not.toContain(password);
      expect(audit).toContain('(unknown user)');
    } finally {
      await vigil.stop({ removeData: true });
    }
  });
});
