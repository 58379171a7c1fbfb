// npm run bench:charting: charting to the EHR (IHE PCD-01 over MLLP) for 10,000 patients at once.
// Vigil starts with the patients and their wearables seeded; one interval of 1 Hz samples of every
// patient is written into its file; python-hl7's MLLP server stands for the EHR. Measures how long
// after the interval's end every message is acknowledged, and how long a breaching device's alert
// takes to reach a console before and while that happens. Prints the figures and the conditions.
import { VigilClient } from '@vigil/client';
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMllpPeer } from '../test/support/mllp-peer';
import { alertProbes } from './alert-probes';
import { distribution } from './percentiles';
import { BENCH_ADMIN_PASSWORD, startVigil } from './servers';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 10_000);
const PROBES = Number(process.env.BENCH_PROBES ?? 20);
const INTERVAL_MS = 30_000;
const WARDS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One interval of 1 Hz samples of every patient, straight into the running Vigil's file. */
function fillInterval(dataDir: string, start: number): number {
  const db = new Database(join(dataDir, 'vigil.db'));
  db.pragma('busy_timeout = 30000');
  const insert = db.prepare(
    'INSERT INTO samples (device_id, ts, patient_id, seq, body) VALUES (?, ?, ?, ?, ?)',
  );
  let count = 0;
  db.transaction(() => {
    for (let patient = 0; patient < PATIENTS; patient += 1) {
      for (let second = 0; second < INTERVAL_MS / 1000; second += 1) {
        const vitals = { heartRate: 60 + (patient % 40) + (second % 5), respRate: 16, spo2: 97 };
        insert.run(
          `w-${patient}`,
          start + second * 1000,
          `p-${patient}`,
          second,
          JSON.stringify({ vitals }),
        );
        count += 1;
      }
    }
  })();
  db.close();
  return count;
}

/** Messages acknowledged so far, and waiting in the outbox at the last charting tick. */
async function charting(httpUrl: string): Promise<{ acknowledged: number; waiting: number }> {
  const metrics = await (await fetch(`${httpUrl}/metrics`)).text();
  const gauge = (name: string) =>
    Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
  return {
    acknowledged: gauge('vigil_hl7_out_acknowledged_total'),
    waiting: gauge('vigil_hl7_out_outbox_depth'),
  };
}

async function main(): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'vigil-charting-bench-'));
  const peer = await startMllpPeer(join(logDir, 'ehr.jsonl'));
  const seedFile = join(logDir, 'seed.json');
  writeFileSync(
    seedFile,
    JSON.stringify({
      patients: Array.from({ length: PATIENTS }, (_, i) => ({
        id: `p-${i}`,
        name: `Patient ${i}`,
        ward: `ward-${i % WARDS}`,
        identifiers: [{ system: 'BENCH', value: `MRN-${i}`, type: 'MR' }],
      })),
      devices: Array.from({ length: PATIENTS }, (_, i) => ({ id: `w-${i}`, patientId: `p-${i}` })),
    }),
  );
  const server = await startVigil(logDir, {
    SEED_FILE: seedFile,
    HL7_OUT_HOST: '127.0.0.1',
    HL7_OUT_PORT: String(peer.port),
    HL7_OUT_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    HL7_OUT_GRACE_SECONDS: '1',
  });
  try {
    const started = Date.now();
    const admin = new VigilClient(server.httpUrl as string);
    await admin.signIn('admin', BENCH_ADMIN_PASSWORD);
    // The first whole interval after the start, past the charting's start-up hold.
    let start = Math.ceil(started / INTERVAL_MS) * INTERVAL_MS;
    if (start + INTERVAL_MS < started + 20_000) start += INTERVAL_MS;
    const samples = fillInterval(server.dataDir as string, start);
    const probes = await alertProbes(server.httpUrl as string, server.mqttUrl, admin, 'ward-probe');
    const idle = await probes.measure(PROBES);
    const due = start + INTERVAL_MS + 1_000;
    await sleep(Math.max(0, due - Date.now()));

    const before = (await charting(server.httpUrl as string)).acknowledged;
    let queued: number | undefined;
    let done: number | undefined;
    const watching = (async () => {
      while (done === undefined && Date.now() < due + 600_000) {
        const now = await charting(server.httpUrl as string);
        const sent = now.acknowledged - before;
        if (queued === undefined && sent + now.waiting >= PATIENTS) queued = Date.now();
        if (sent >= PATIENTS) done = Date.now();
        else await sleep(100);
      }
    })();
    const loaded = await probes.measure(PROBES);
    await watching;
    probes.close();

    const row = (phase: string, latencies: number[]) => {
      const { count, p50, p95, max } = distribution(latencies);
      return `| ${phase} | ${count} | ${[p50, p95, max].map((ms) => ms.toFixed(0)).join(' | ')} |`;
    };
    console.log(
      `\nCharting ${PATIENTS.toLocaleString('en')} patients to the EHR (${new Date().toISOString()})`,
    );
    console.log(
      `Conditions: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}, embedded store, ` +
        `${PATIENTS.toLocaleString('en')} patients on ${WARDS} wards, each with one ${INTERVAL_MS / 1000}-second interval ` +
        `of 1 Hz samples (${samples.toLocaleString('en')}) written into the file; python-hl7's asyncio MLLP ` +
        `server on loopback as the EHR; the interval is due 1 s after its end (the grace).`,
    );
    console.log(
      done === undefined
        ? `Not every message was acknowledged within 10 minutes of the interval's end.`
        : `Every interval's message queued ${(((queued ?? done) - due) / 1000).toFixed(1)} s after it ` +
            `was due, and acknowledged ${((done - due) / 1000).toFixed(1)} s after ` +
            `(${(PATIENTS / ((done - due) / 1000)).toFixed(0)} messages/s).`,
    );
    console.log('| phase | probes | p50 ms | p95 ms | max ms |\n| --- | --- | --- | --- | --- |');
    console.log(row('before the interval is due', idle));
    console.log(row('while it is charted and sent', loaded));
  } finally {
    await server.stop();
    await peer.stop();
    rmSync(server.dataDir as string, { recursive: true, force: true });
    rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
