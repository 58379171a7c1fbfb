// Proves charting to the EHR with IHE PCD-01 over MLLP against an MLLP receiver nobody here
// wrote (python-hl7's asyncio server): a wearable streams in real time while the receiver first
// refuses a message (AE), then is down for a minute during which Vigil is restarted; afterwards
// every interval with data arrives once, in order, with the right medians, the nurse's set as
// final results, and the ward's technical alarm raised during the outage and cleared after it.
import { Hl7Message } from '@medplum/core';
import type { Alert } from '@vigil/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './support/free-port';
import { startMllpPeer, type MllpPeer } from './support/mllp-peer';
import { signInAs, startVigil, type VigilHarness } from './support/vigil-harness';

const INTERVAL_MS = 5_000;
const OUTAGE_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('charting to the EHR over MLLP (IHE PCD-01)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-ehr-'));
  let peer: MllpPeer;
  let vigil: VigilHarness;
  let env: Record<string, string>;
  let wearable: MqttClient;
  let secret: string;
  /** Samples Vigil acknowledged (PUBACK): what must reach the EHR. */
  const acked: { ts: number; heartRate: number }[] = [];
  let streaming: NodeJS.Timeout | undefined;
  let seq = 0;

  const startWearable = async () => {
    wearable = await mqtt.connectAsync(`mqtt://127.0.0.1:${env.MQTT_PORT}`, {
      clientId: 'wear-ehr',
      username: 'wear-ehr',
      password: secret,
      reconnectPeriod: 300,
      connectTimeout: 5_000,
    });
    streaming = setInterval(() => {
      const ts = Date.now();
      const heartRate = 70 + (seq % 7);
      const sample = { ts, seq: ++seq, vitals: { heartRate, respRate: 16, spo2: 97 } };
      wearable
        .publishAsync('devices/wear-ehr/vitals', JSON.stringify(sample), { qos: 1 })
        .then(() => acked.push({ ts, heartRate }))
        .catch(() => undefined);
    }, 250);
  };
  const openAlarms = async (): Promise<Alert[]> =>
    (await (await vigil.fetch('/api/alerts?state=open')).json()) as Alert[];
  const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
      await sleep(200);
    }
  };

  beforeAll(async () => {
    peer = await startMllpPeer(join(dataDir, 'received.jsonl'), { refuse: 1 });
    env = {
      DATA_DIR: dataDir,
      MQTT_PORT: String(await freePort()),
      HTTP_PORT: String(await freePort()),
      HL7_OUT_HOST: '127.0.0.1',
      HL7_OUT_PORT: String(peer.port),
      HL7_OUT_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
      HL7_OUT_GRACE_SECONDS: '1',
      HL7_OUT_RETRY_MAX_SECONDS: '2',
      HL7_OUT_ACK_TIMEOUT_SECONDS: '5',
      HL7_OUT_ALARM_SECONDS: '20',
      HL7_OUT_RECEIVER: 'EHR^GENERAL',
    };
    vigil = await startVigil(env);
    const admitted = await vigil.post('/api/patients', {
      id: 'p-ehr',
      name: 'Edith Charted',
      ward: 'ward-1',
      bed: '4',
      identifiers: [{ system: 'RVJ', value: 'MRN-2001', type: 'MR' }],
    });
    const bound = await vigil.post('/api/devices', { id: 'wear-ehr', patientId: 'p-ehr' });
    expect([admitted.status, bound.status]).toEqual([201, 201]);
    secret = (bound.body as { secret: string }).secret;
    await startWearable();
  }, 60_000);

  afterAll(async () => {
    clearInterval(streaming);
    await wearable?.endAsync(true);
    await vigil?.stop();
    await peer?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every interval once and in order across an outage of the EHR and a restart of Vigil', async () => {
    const nurse = await signInAs(vigil, {
      username: 'nurse-ehr',
      role: 'nurse',
      wards: ['ward-1'],
    });
    const set = await vigil.post(
      '/api/patients/p-ehr/observations',
      { effectiveAt: Date.now(), vitals: { respRate: 19, systolicBp: 118 } },
      nurse,
    );
    expect(set.status).toBe(201);
    // The first message is refused (AE) and sent again; two intervals reach the EHR.
    await waitFor('two intervals charted', () => peer.received().length >= 2, 30_000);

    await peer.stop();
    const outageStart = Date.now();
    await sleep(OUTAGE_MS / 2);
    await vigil.stop();
    vigil = await startVigil(env);
    await waitFor(
      'the stalled charting alarmed',
      async () => (await openAlarms()).some((alert) => alert.rule === 'hl7.outbound-stalled'),
      OUTAGE_MS,
    );
    await sleep(Math.max(0, outageStart + OUTAGE_MS - Date.now()));
    await peer.start();

    clearInterval(streaming);
    await wearable.endAsync();
    const lastAcked = acked[acked.length - 1].ts;
    const lastInterval = Math.floor(lastAcked / INTERVAL_MS) * INTERVAL_MS;
    const startOf = (controlId: string) => Number(controlId.split('.').pop());
    await waitFor(
      'the outbox drained',
      () => peer.received().some((message) => startOf(message.controlId) === lastInterval),
      60_000,
    );

    const received = peer.received();
    const starts = received.map((message) => startOf(message.controlId));
    expect(new Set(starts).size).toBe(starts.length);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const expected = [
      ...new Set(acked.map((sample) => Math.floor(sample.ts / INTERVAL_MS) * INTERVAL_MS)),
    ];
    expect(starts.filter((start) => start >= expected[0])).toEqual(expected);

    const withNurse = received.find((message) => message.message.includes('|F|'));
    const parsed = Hl7Message.parse((withNurse ?? received[0]).message);
    expect(parsed.getSegment('MSH')?.getField(21).toString()).toBe(
      'IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO',
    );
    expect(parsed.getSegment('PID')?.getField(3).toString()).toBe('MRN-2001^^^RVJ^MR');
    expect(parsed.getSegment('PV1')?.getField(3).toString()).toBe('ward-1^^4');
    const observations = parsed.getAll('OBX').map((obx) => obx.toString().split('|'));
    expect(
      observations
        .filter((obx) => obx[11] === 'F')
        .map((obx) => [obx[3].split('^')[1], obx[5], obx[16]]),
    ).toEqual([
      ['MDC_RESP_RATE', '19', 'nurse-ehr'],
      ['MDC_PRESS_BLD_NONINV_SYS', '118', 'nurse-ehr'],
    ]);

    // The medians of one interval are those of the samples acknowledged in it.
    const probe = received[received.length - 2];
    const start = startOf(probe.controlId);
    const rates = acked
      .filter((s) => s.ts >= start && s.ts < start + INTERVAL_MS)
      .map((s) => s.heartRate)
      .sort((a, b) => a - b);
    const middle = Math.floor(rates.length / 2);
    const median = rates.length % 2 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
    const heart = Hl7Message.parse(probe.message)
      .getAll('OBX')
      .map((obx) => obx.toString().split('|'))
      .find((obx) => obx[3].startsWith('147842^'));
    expect([heart?.[3], heart?.[5], heart?.[6], heart?.[11], heart?.[18]]).toEqual([
      '147842^MDC_ECG_HEART_RATE^MDC^8867-4^Heart rate^LN',
      String(median),
      '264864^MDC_DIM_BEAT_PER_MIN^MDC^/min^/min^UCUM',
      'R',
      'wear-ehr^VIGIL',
    ]);

    const metrics = await (await vigil.fetch('/metrics')).text();
    expect(metrics).toMatch(/^vigil_hl7_out_acknowledged_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^vigil_hl7_out_outbox_depth \d+$/m);
    await waitFor(
      'the alarm cleared',
      async () => !(await openAlarms()).some((alert) => alert.rule === 'hl7.outbound-stalled'),
      10_000,
    );
  }, 240_000);
});

describe('charting to the EHR over MLLP with TLS', () => {
  const work = mkdtempSync(join(tmpdir(), 'vigil-ehr-tls-'));
  const certs = join(work, 'certs');
  let peer: MllpPeer;
  let vigil: VigilHarness;
  /** Trusts another CA: it must not deliver to this receiver. */
  let misled: VigilHarness;
  const wearables: MqttClient[] = [];

  beforeAll(async () => {
    execFileSync('scripts/dev-certs.sh', [certs]);
    execFileSync('scripts/dev-certs.sh', [join(work, 'other')]);
    peer = await startMllpPeer(join(work, 'received.jsonl'), {
      tls: { cert: join(certs, 'server.pem'), key: join(certs, 'server-key.pem') },
    });
    const charting = (ca: string) => ({
      HL7_OUT_HOST: '127.0.0.1',
      HL7_OUT_PORT: String(peer.port),
      HL7_OUT_TLS: 'true',
      HL7_OUT_CA_FILE: ca,
      HL7_OUT_INTERVAL_SECONDS: '1',
      HL7_OUT_GRACE_SECONDS: '0',
    });
    vigil = await startVigil(charting(join(certs, 'ca.pem')));
    misled = await startVigil(charting(join(work, 'other', 'ca.pem')));
    for (const [harness, id] of [
      [vigil, 'tls'],
      [misled, 'misled'],
    ] as const) {
      await harness.post('/api/patients', { id: `p-${id}`, name: 'Tess Secure', ward: 'ward-2' });
      const bound = await harness.post('/api/devices', { id: `wear-${id}`, patientId: `p-${id}` });
      const wearable = await mqtt.connectAsync(`mqtt://127.0.0.1:${harness.mqttPort}`, {
        clientId: `wear-${id}`,
        username: `wear-${id}`,
        password: (bound.body as { secret: string }).secret,
        reconnectPeriod: 0,
      });
      wearables.push(wearable);
      await wearable.publishAsync(
        `devices/wear-${id}/vitals`,
        JSON.stringify({ ts: Date.now(), seq: 1, vitals: { heartRate: 64 } }),
        { qos: 1 },
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const wearable of wearables) await wearable.endAsync();
    await vigil?.stop({ removeData: true });
    await misled?.stop({ removeData: true });
    await peer?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('delivers over TLS to a receiver signed by the configured CA, and to no other', async () => {
    // Charting starts once its start-up hold (15 s) is over.
    const deadline = Date.now() + 40_000;
    while (peer.received().length === 0 && Date.now() < deadline) await sleep(250);
    const [first] = peer.received();
    expect(first?.controlId).toMatch(/^p-tls\.\d+$/);
    expect(first?.message).toContain('|64|264864^MDC_DIM_BEAT_PER_MIN');
    // The other Vigil charted on the same seconds; by now its message would have arrived.
    await sleep(5_000);
    expect(peer.received().map((message) => message.controlId.split('.')[0])).toEqual(['p-tls']);
  }, 60_000);
});
