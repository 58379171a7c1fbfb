import type { NestExpressApplication } from '@nestjs/platform-express';
import { MqttBrokerService } from '@vigil/broker';
import { CARE_NAMESPACE } from '@vigil/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
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
  /** Closes the application; the data folder stays for a restart unless `removeData`. */
  stop(options?: { removeData?: boolean }): Promise<void>;
}

/** Starts the real application on loopback, on ports the OS picks, with a fresh data folder. */
export async function startVigil(env: Record<string, string> = {}): Promise<VigilHarness> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const config = loadConfig({
    HTTP_PORT: '0',
    MQTT_PORT: '0',
    BIND_ADDRESS: '127.0.0.1',
    ...env,
    DATA_DIR: dataDir,
  });
  const app = await createVigilApp(config, {
    logger: process.env.VIGIL_TEST_LOGS ? undefined : false,
  });
  try {
    await app.listen(config.httpPort, '127.0.0.1');
  } catch (error) {
    await app.close();
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    httpUrl: `http://127.0.0.1:${port}`,
    mqttPort: config.mqttPort === null ? 0 : app.get(MqttBrokerService).port,
    dataDir,
    secrets: new Map(),
    async stop(options = {}) {
      await app.close();
      if (options.removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function admitPatientWithDevice(
  vigil: VigilHarness,
  patient: { id: string; name: string; ward: string },
  deviceId: string,
): Promise<string> {
  const admitted = await postJson(`${vigil.httpUrl}/api/patients`, patient);
  const bound = await postJson(`${vigil.httpUrl}/api/devices`, {
    id: deviceId,
    patientId: patient.id,
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

/** A console socket not yet connected, so a test can listen before the server's first words. */
export function openConsole(vigil: VigilHarness): Socket {
  return io(`${vigil.httpUrl}${CARE_NAMESPACE}`, {
    transports: ['websocket'],
    reconnection: false,
    autoConnect: false,
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
