// npm run bench:history: how long a breaching device's alert takes to reach a console, first on
// an idle Vigil, then while five clients read the heaviest history Vigil allows (a week of 1 Hz
// vitals in 61-second buckets) in a loop. With BENCH_READS=fhir (npm run bench:fhir) the readers
// ask the FHIR API instead for the heaviest page it serves: a search over the whole week for a
// code that no sample has, so every page reads its full bound of samples and finds nothing.
// Prints the figures and the conditions they were taken in.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilClient } from '@vigil/client';
import { alertProbes } from './alert-probes';
import { distribution } from './percentiles';
import { WEEK_MS, fillWeekOfSamples } from '../test/support/week-of-samples';
import { BENCH_ADMIN_PASSWORD, startVigil } from './servers';

const READERS = Number(process.env.BENCH_READERS ?? 5);
const PROBES = Number(process.env.BENCH_PROBES ?? 20);
const WARD = 'ward-bench';
const FHIR = process.env.BENCH_READS === 'fhir';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'vigil-history-bench-'));
  const server = await startVigil(logDir, {});
  try {
    const admin = new VigilClient(server.httpUrl as string);
    await admin.signIn('admin', BENCH_ADMIN_PASSWORD);
    await admin.admit({ id: 'p-week', name: 'Week', ward: WARD, deviceId: 'w-week' });
    const samples = fillWeekOfSamples(server.dataDir as string, 'p-week', 'w-week');
    const probes = await alertProbes(server.httpUrl as string, server.mqttUrl, admin, WARD);
    const probeLatencies = () => probes.measure(PROBES);

    const heaviest = () =>
      FHIR
        ? `${server.httpUrl}/fhir/Observation?patient=p-week&code=${encodeURIComponent('http://snomed.info/sct|1104051000000101')}&_count=500`
        : `${server.httpUrl}/api/patients/p-week/vitals?from=${Date.now() - WEEK_MS + 1}&to=${Date.now()}&every=61s`;
    const rows: string[][] = [];
    const report = (phase: string, latencies: number[], reads?: ReadFigures) => {
      const { count, p50, p95, max } = distribution(latencies);
      rows.push([
        phase,
        String(count),
        ...[p50, p95, max].map((ms) => ms.toFixed(0)),
        reads ? `${reads.ok} (${(reads.ok / reads.seconds).toFixed(2)}/s)` : '-',
        reads ? String(reads.busy) : '-',
        reads ? distribution(reads.durations).p50.toFixed(0) : '-',
      ]);
    };

    report('idle', await probeLatencies());
    let reading = true;
    const reads: ReadFigures = { ok: 0, busy: 0, other: 0, durations: [], seconds: 0 };
    const started = performance.now();
    const readers = Array.from({ length: READERS }, async () => {
      while (reading) {
        const began = performance.now();
        const response = await fetch(heaviest(), {
          headers: { authorization: `Bearer ${admin.accessToken}` },
        })
          .then(async (answer) => ({
            status: answer.status,
            headers: answer.headers,
            body: await answer.arrayBuffer(),
          }))
          .catch(() => undefined);
        if (!response) {
          reads.other += 1;
        } else if (response.status === 200) {
          reads.ok += 1;
          reads.durations.push(performance.now() - began);
        } else if (response.status === 503) {
          reads.busy += 1;
          await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
        } else {
          reads.other += 1;
        }
      }
    });
    const loaded = await probeLatencies();
    reading = false;
    await Promise.all(readers);
    reads.seconds = (performance.now() - started) / 1000;
    report(`${READERS} readers in a loop`, loaded, reads);
    probes.close();

    console.log(
      `\nAlert latency beside heavy ${FHIR ? 'FHIR Observation searches' : 'history reads'} (${new Date().toISOString()})`,
    );
    console.log(
      `Conditions: ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}, embedded store, ` +
        `${samples.toLocaleString('en')} samples of one patient (a week at 1 Hz), each read ` +
        (FHIR
          ? `one FHIR page over the week for a code no sample has (5,000 samples read, none charted); `
          : `a week in 61-second buckets (9,915 points); `) +
        `a probe sends systolic 82 mmHg (a high alert at once) ` +
        `and waits for alert:raised on a nurse's console; ${PROBES} probes per phase, 250 ms apart.`,
    );
    const header = [
      'phase',
      'probes',
      'p50 ms',
      'p95 ms',
      'max ms',
      'reads served',
      '503 busy',
      'read p50 ms',
    ];
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    if (reads.other > 0) console.log(`${reads.other} reads failed otherwise`);
  } finally {
    await server.stop();
    rmSync(server.dataDir as string, { recursive: true, force: true });
  }
}

interface ReadFigures {
  ok: number;
  busy: number;
  other: number;
  durations: number[];
  seconds: number;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
