import type { NestExpressApplication } from '@nestjs/platform-express';
import { MqttBrokerService } from '@vigil/broker';
import { CARE_NAMESPACE } from '@vigil/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../apps/server/src/config/vigil-config';
import { createVigilApp } from '../../apps/server/src/create-vigil-app';

export interface VigilHarness {
  readonly app: NestExpressApplication;
  readonly httpUrl: string;
  readonly mqttPort: number;
  readonly dataDir: string;
  /** The secret issued to each device a test bound, for `connectDevice`. */
  readonly secrets: Map<string, string>;
  /** The CA that signed Vigil's HTTPS certificate, when TLS is on. */
  readonly ca?: Buffer;
  /** Access token of the administrator, the default for HTTP requests. */
  readonly adminToken: string;
  /** Access token of a charge nurse of TEST_WARDS, the default for consoles. */
  readonly nurseToken: string;
  /** fetch on Vigil's HTTP address, signed in (as the administrator unless a token is given). */
  fetch(path: string, init?: RequestInit, token?: string): Promise<Response>;
  /** POST JSON, answering status and parsed body. */
  post(path: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }>;
  /** Closes the application; the data folder stays for a restart unless `removeData`. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
/** The wards the tests admit patients to; the default console's charge nurse works on all. */
export const TEST_WARDS = Array.from({ length: 9 }, (_, index) => `ward-${index + 1}`);

/**
 * fetch's subset the tests use, over node:http(s) so that HTTPS can trust the development CA
 * (Node's own fetch takes no CA option).
 */
function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ca?: Buffer,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const options = { method: init.method ?? 'GET', headers: init.headers, ...(ca && { ca }) };
    const callback = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          for (const one of [value ?? []].flat()) headers.append(name, one);
        }
        const status = res.statusCode ?? 0;
        const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, headers }));
      });
    };
    const req = url.startsWith('https:')
      ? httpsRequest(url, options, callback)
      : httpRequest(url, options, callback);
    req.on('error', reject);
    req.end(init.body);
  });
}

async function signIn(
  httpUrl: string,
  username: string,
  password: string,
  ca?: Buffer,
): Promise<string> {
  const response = await send(
    `${httpUrl}/api/auth/login`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    },
    ca,
  );
  if (response.status !== 200)
    throw new Error(`sign-in of ${username} answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Creates the user unless she exists, and answers her access token. */
export async function signInAs(
  vigil: Pick<VigilHarness, 'post' | 'httpUrl' | 'ca'>,
  user: { username: string; role: string; wards?: string[] },
): Promise<string> {
  const password = `${user.username}-password-for-tests`;
  const created = await vigil.post('/api/users', { displayName: user.username, ...user, password });
  if (created.status !== 201 && created.status !== 409)
    throw new Error(`user ${user.username} not created: ${JSON.stringify(created.body)}`);
  return signIn(vigil.httpUrl, user.username, password, vigil.ca);
}

/** A stream that keeps each log line Vigil writes, as written (JSON). */
function linesInto(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
}

/**
 * Starts the real application on loopback, on ports the OS picks, with a fresh data folder.
 * `logLines`: every log line of the run is kept there (JSON), for tests of what is logged.
 */
export async function startVigil(
  env: Record<string, string> = {},
  options: { logLines?: string[] } = {},
): Promise<VigilHarness> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const config = loadConfig({
    HTTP_PORT: '0',
    MQTT_PORT: '0',
    BIND_ADDRESS: '127.0.0.1',
    ADMIN_PASSWORD: TEST_ADMIN.password,
    // In Jest's own process, which cannot fork Vigil's workers (test/workers.e2e-spec.ts runs them).
    VIGIL_WORKERS: '1',
    // Quiet unless asked for: VIGIL_TEST_LOGS=1, or a test that reads the lines.
    LOG_LEVEL: process.env.VIGIL_TEST_LOGS || options.logLines ? 'info' : 'silent',
    LOG_FORMAT: options.logLines ? 'json' : 'auto',
    ...env,
    DATA_DIR: dataDir,
  });
  // nestjs-pino keeps the first application's logger for the whole process (one app per
  // process in production); a test file starts several, each with its own log level and lines.
  __resetOutOfContextForTests();
  const app = await createVigilApp(config, {
    logStream: options.logLines && linesInto(options.logLines),
  });
  try {
    await app.listen(config.httpPort, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const scheme = config.tls ? 'https' : 'http';
  const httpUrl = `${scheme}://127.0.0.1:${port}`;
  // ADMIN_PASSWORD='' leaves Vigil to generate the first password, into a file.
  const adminPassword =
    config.auth.adminPassword ??
    readFileSync(join(dataDir, 'initial-admin-password'), 'utf8').trim();
  const ca = config.tls?.clientCa;
  const adminToken = await signIn(httpUrl, config.auth.adminUsername, adminPassword, ca);
  const request = (path: string, init: RequestInit = {}, token = adminToken) =>
    send(
      `${httpUrl}${path}`,
      {
        method: init.method,
        body: init.body as string | undefined,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.headers as Record<string, string> | undefined),
        },
      },
      ca,
    );
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await request(
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      token,
    );
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const nurseToken = await signInAs(
    { httpUrl, post, ca },
    { username: 'charge-nurse', role: 'charge-nurse', wards: TEST_WARDS },
  );
  return {
    app,
    httpUrl,
    adminToken,
    nurseToken,
    ca,
    fetch: request,
    post,
    mqttPort: config.mqttPort === null ? 0 : app.get(MqttBrokerService).port,
    dataDir,
    secrets: new Map(),
    async stop(options = {}) {
      await app.close();
      if (options.removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function admitPatientWithDevice(
  vigil: VigilHarness,
  patient: { id: string; name: string; ward: string },
  deviceId: string,
): Promise<string> {
  const admitted = await vigil.post('/api/patients', patient);
  // Worn for the last two hours: the tests send samples dated up to an hour back.
  const bound = await vigil.post('/api/devices', {
    id: deviceId,
    patientId: patient.id,
    since: new Date(Date.now() - 2 * 3_600_000).toISOString(),
  });
  if (admitted.status !== 201 || bound.status !== 201) {
    throw new Error(`admission failed: ${JSON.stringify([admitted, bound])}`);
  }
  const secret = (bound.body as { secret: string }).secret;
  vigil.secrets.set(deviceId, secret);
  return secret;
}

export function connectDevice(
  vigil: VigilHarness,
  deviceId: string,
  options: mqtt.IClientOptions = {},
): Promise<MqttClient> {
  return mqtt.connectAsync(`mqtt://127.0.0.1:${vigil.mqttPort}`, {
    clientId: deviceId,
    username: deviceId,
    password: vigil.secrets.get(deviceId),
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...options,
  });
}

/**
 * A wearable's readings held past a rule's sustain time: two samples 16 s apart in device time,
 * the last now, numbered after `seq` (the caller's counter for that device).
 */
export function publishSustained(
  wearable: MqttClient,
  deviceId: string,
  vitals: Record<string, number>,
  seq: number,
): Promise<unknown> {
  const now = Date.now();
  return wearable.publishAsync(
    `devices/${deviceId}/vitals`,
    JSON.stringify({
      samples: [now - 16_000, now].map((ts, index) => ({ ts, seq: seq + index + 1, vitals })),
    }),
    { qos: 1 },
  );
}

/**
 * A console socket not yet connected, so a test can listen before the server's first words;
 * signed in as the charge nurse of every test ward unless a token is given.
 */
export function openConsole(vigil: VigilHarness, token = vigil.nurseToken): Socket {
  return io(`${vigil.httpUrl}${CARE_NAMESPACE}`, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
    auth: { token },
  });
}

export async function connectConsole(
  vigil: VigilHarness,
  socket = openConsole(vigil),
): Promise<Socket> {
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves with the first event that matches, or rejects after `timeoutMs`. */
export function nextEvent<T>(
  socket: Socket,
  event: string,
  matches: (payload: T) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Collects every payload of `event` until `stop()` is called. */
export function recordEvents<T>(socket: Socket, event: string): { events: T[]; stop(): void } {
  const events: T[] = [];
  const listener = (payload: T) => events.push(payload);
  socket.on(event, listener);
  return { events, stop: () => socket.off(event, listener) };
}

/** Resolves with the next message on an MQTT topic the client has subscribed to. */
export function nextMessage(
  client: MqttClient,
  topic: string,
  timeoutMs = 5_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', listener);
      reject(new Error(`no message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (received: string, payload: Buffer) => {
      if (received !== topic) return;
      clearTimeout(timer);
      client.off('message', listener);
      resolve(JSON.parse(payload.toString()) as Record<string, unknown>);
    };
    client.on('message', listener);
  });
}
