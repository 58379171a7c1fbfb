// npm run bench:trends: what the trend watch adds per sample, and holds per patient, at 10,000
// patients in their steady state (a day and more of baseline), measured in this process beside
// what the thresholds and NEWS2 already cost on the same samples. Vigil's own TrendWatch runs,
// with stand-ins for the clinical profiles and the alerts service (both are map lookups there).
import type { AlertsService } from '@vigil/alerts';
import type { Sample } from '@vigil/contracts';
import { TrendWatch, type ClinicalProfiles } from '@vigil/ingest';
import {
  DEFAULT_RULES,
  DEFAULT_TREND_SETTINGS,
  EMPTY_RULE_STATE,
  NEWS2_FRESHNESS_MS,
  evaluatePatient,
  scoreNews2,
  type PatientRuleState,
} from '@vigil/rules';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    patients: { type: 'string', default: '10000' },
    'warm-hours': { type: 'string', default: '27' },
    'warm-every': { type: 'string', default: '25' },
    rounds: { type: 'string', default: '600' },
  },
});
const PATIENTS = Number(args.patients);
const WARM_HOURS = Number(args['warm-hours']);
const WARM_EVERY_MS = Number(args['warm-every']) * 1000;
const ROUNDS = Number(args.rounds);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:trends does)');

/** A resting adult with a little noise and a slow wave, so medians and spreads are not constant. */
function vitalsAt(patient: number, ts: number): Sample['vitals'] {
  const wave = Math.sin(ts / 3_600_000 + patient);
  const noise = ((patient * 7919 + ts / 1000) % 7) - 3;
  return {
    heartRate: Math.round(70 + 4 * wave + noise),
    respRate: Math.round(15 + wave + noise / 3),
    spo2: Math.round(97 + noise / 3),
    temperature: Math.round((36.8 + 0.2 * wave) * 10) / 10,
    systolicBp: Math.round(122 + 5 * wave + noise),
    diastolicBp: 78,
  };
}

const sample = (patient: number, ts: number): Sample => ({
  patientId: `p-${patient}`,
  deviceId: `d-${patient}`,
  ts,
  seq: ts,
  vitals: vitalsAt(patient, ts),
});

const profiles = {
  profileOf: () => ({ spo2Scale: 1, rules: DEFAULT_RULES, trend: DEFAULT_TREND_SETTINGS }),
} as unknown as ClinicalProfiles;
let alertsRaised = 0;
const alerts = {
  physiologicalAlarmHolds: () => false,
  pauseOf: () => undefined,
  hasOpen: () => false,
  openAlerts: () => [],
  breach: async () => void (alertsRaised += 1),
  clear: async () => undefined,
} as unknown as AlertsService;

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
}

const start = Date.UTC(2026, 11, 1);
const heapBefore = heapMb();
const watch = new TrendWatch(profiles, alerts);
const warmStarted = performance.now();
const warmEnd = start + WARM_HOURS * 3_600_000;
for (let ts = start; ts < warmEnd; ts += WARM_EVERY_MS)
  for (let p = 0; p < PATIENTS; p += 1) watch.observe(sample(p, ts));
const warmSeconds = (performance.now() - warmStarted) / 1000;
const heapAfter = heapMb();
const view = watch.viewOf('p-0', {}, warmEnd);

/** Per sample, µs: one sample of every patient per round, a second apart (1 Hz), ten minutes. */
function perSample(run: (sample: Sample) => void): number {
  const samples: Sample[] = [];
  for (let round = 0; round < ROUNDS; round += 1)
    for (let p = 0; p < PATIENTS; p += 1) samples.push(sample(p, warmEnd + round * 1000));
  const began = performance.now();
  for (const each of samples) run(each);
  return ((performance.now() - began) * 1000) / samples.length;
}

const trendUs = perSample((each) => watch.observe(each));
const ruleStates = new Map<string, PatientRuleState>();
const rulesUs = perSample((each) => {
  const { state } = evaluatePatient(
    each,
    DEFAULT_RULES,
    ruleStates.get(each.patientId) ?? EMPTY_RULE_STATE,
  );
  ruleStates.set(each.patientId, state);
  const inputs = Object.fromEntries(
    Object.entries(each.vitals).map(([name, value]) => [name, { value, ts: each.ts }]),
  );
  scoreNews2(inputs, 1, each.ts, NEWS2_FRESHNESS_MS);
});

const perPatientKb = ((heapAfter - heapBefore) * 1024) / PATIENTS;
const lines = [
  `Trend watch at ${PATIENTS} patients, after ${WARM_HOURS} h of samples every ${WARM_EVERY_MS / 1000} s (warm-up ${warmSeconds.toFixed(0)} s, status of p-0: ${view.status}, ${view.vitals.length} baselines of ${view.vitals[0]?.buckets ?? 0} buckets); Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}`,
  ``,
  `| | per sample | at ${PATIENTS} patients × 1 Hz |`,
  `| --- | ---: | ---: |`,
  `| trend watch (TrendWatch.observe) | ${trendUs.toFixed(2)} µs | ${((trendUs * PATIENTS) / 10_000).toFixed(1)} % of a core |`,
  `| thresholds and NEWS2 (evaluatePatient, scoreNews2) | ${rulesUs.toFixed(2)} µs | ${((rulesUs * PATIENTS) / 10_000).toFixed(1)} % of a core |`,
  ``,
  `Heap held by the trend watch: ${(heapAfter - heapBefore).toFixed(0)} MB, ${perPatientKb.toFixed(1)} KB per patient. Trend alerts raised on these steady patients: ${alertsRaised}.`,
];
console.log(lines.join('\n'));
