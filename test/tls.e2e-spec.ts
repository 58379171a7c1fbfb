// Proves encrypted transport with certificates made by scripts/dev-certs.sh: MQTT over TLS with a
// secret, mutual TLS with a device certificate (and refusal of an untrusted one), HTTPS, and
// plain MQTT switched off, and HL7 ADT over mutual TLS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import mqtt from 'mqtt';
import { MqttBrokerService } from '@vigil/broker';
import { Hl7ListenerService } from '../apps/server/src/hl7/hl7-listener.service';
import { TEST_ADMIN, startVigil, type VigilHarness } from './support/vigil-harness';

describe('TLS and mutual TLS', () => {
  const work = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  const trusted = join(work, 'trusted');
  const untrusted = join(work, 'untrusted');
  const file = (dir: string, name: string) => readFileSync(join(dir, name));
  let vigil: VigilHarness;
  let mqttsPort: number;
  let secret: string;

  beforeAll(async () => {
    execFileSync('scripts/dev-certs.sh', [trusted, 'wear-t1', 'interface-engine']);
    execFileSync('scripts/dev-certs.sh', [untrusted, 'wear-t1', 'interface-engine']);
    vigil = await startVigil({
      TLS_CERT_FILE: join(trusted, 'server.pem'),
      TLS_KEY_FILE: join(trusted, 'server-key.pem'),
      TLS_CA_FILE: join(trusted, 'ca.pem'),
      MQTTS_PORT: '0',
      MQTT_PLAIN: 'false',
      HL7_PORT: '0',
    });
    mqttsPort = vigil.app.get(MqttBrokerService).tlsPort;
    await vigil.post('/api/patients', { id: 'p-t1', name: 'Patient T1', ward: 'ward-1' });
    const bound = await vigil.post('/api/devices', { id: 'wear-t1', patientId: 'p-t1' });
    secret = (bound.body as { secret: string }).secret;
  });

  afterAll(async () => {
    await vigil?.stop({ removeData: true });
    rmSync(work, { recursive: true, force: true });
  });

  const connect = (options: mqtt.IClientOptions) =>
    mqtt.connectAsync(`mqtts://127.0.0.1:${mqttsPort}`, {
      clientId: 'wear-t1',
      ca: file(trusted, 'ca.pem'),
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      ...options,
    });

  it('serves HTTPS with the configured certificate, and marks the refresh cookie Secure', async () => {
    expect(vigil.httpUrl).toMatch(/^https:/);
    expect((await vigil.fetch('/health')).status).toBe(200);
    const login = await vigil.fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(TEST_ADMIN),
    });
    expect(login.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('accepts a device secret over TLS', async () => {
    const client = await connect({ username: 'wear-t1', password: secret });
    await client.publishAsync(
      'devices/wear-t1/vitals',
      JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 72 } }),
      { qos: 1 },
    );
    await client.endAsync();
  });

  it('accepts a trusted client certificate naming the device, without a password', async () => {
    const client = await connect({
      key: file(trusted, 'device-wear-t1-key.pem'),
      cert: file(trusted, 'device-wear-t1.pem'),
    });
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('refuses a certificate from an untrusted CA, and a trusted one used under another id', async () => {
    await expect(
      connect({
        key: file(untrusted, 'device-wear-t1-key.pem'),
        cert: file(untrusted, 'device-wear-t1.pem'),
      }),
    ).rejects.toThrow(/Not authorized/i);
    await expect(
      connect({
        clientId: 'wear-other',
        key: file(trusted, 'device-wear-t1-key.pem'),
        cert: file(trusted, 'device-wear-t1.pem'),
      }),
    ).rejects.toThrow(/Not authorized/i);
  });

  it('has plain MQTT switched off', () => {
    expect(() => vigil.app.get(MqttBrokerService).port).toThrow(/switched off/);
  });

  /** Sends one framed HL7 message over TLS; answers the ACK, or the error that ended the attempt. */
  const sendOverTls = (dir: string | undefined, message: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const socket = connectTls({
        host: '127.0.0.1',
        port: vigil.app.get(Hl7ListenerService).port,
        ca: file(trusted, 'ca.pem'),
        ...(dir && {
          cert: file(dir, 'device-interface-engine.pem'),
          key: file(dir, 'device-interface-engine-key.pem'),
        }),
      });
      let answer = '';
      socket.on('secureConnect', () => socket.write(`\x0b${message}\x1c\r`));
      socket.on('data', (chunk: Buffer) => {
        answer += chunk.toString('utf8');
        if (answer.endsWith('\x1c\r')) {
          socket.end();
          resolve(answer);
        }
      });
      socket.on('error', reject);
      socket.on('close', () => reject(new Error('closed without an ACK')));
    });

  it('takes HL7 ADT over mutual TLS from a sender whose certificate the CA signed, and no other', async () => {
    const a01 = [
      'MSH|^~\\&|PAS|GENHOSP|VIGIL|WARDS|20261202101500||ADT^A01|TLS-1|P|2.5',
      'PID|1||MRN-TLS^^^GENHOSP^MR||Doe^Tess||19600101|F',
      'PV1|1|I|ward-1^R1^B1',
    ].join('\r');
    expect(await sendOverTls(trusted, a01)).toMatch(/\rMSA\|AA\|TLS-1/);
    await expect(sendOverTls(undefined, a01.replace('TLS-1', 'TLS-2'))).rejects.toThrow();
    await expect(sendOverTls(untrusted, a01.replace('TLS-1', 'TLS-3'))).rejects.toThrow();
    const patients = (await (await vigil.fetch('/api/patients')).json()) as { id: string }[];
    expect(patients.map((p) => p.id).sort()).toEqual(['MRN-TLS', 'p-t1']);
  });
});
