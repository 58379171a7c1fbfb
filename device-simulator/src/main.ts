import { deviceTopic } from '@vigil/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AcceptanceCheck, type PatientVerdict } from './acceptance';
import {
  SCENARIOS,
  admitSimulatedPatient,
  mixedScenario,
  type ScenarioName,
} from './patient-scenarios';
import { SeededRandom } from './random';
import {
  RecordingWriter,
  importCsv,
  readRecording,
  shiftPayload,
  type RecordedPatient,
  type Recording,
} from './recording';
import { SimulatedWearable, newCounters, type WearableCounters } from './simulated-wearable';
import { readSimulatorOptions, type SimulatorOptions } from './simulator-options';
import { VigilClient } from '@vigil/client';
import { startChurn } from './churn';

const NAMES = [
  'Ada Byron',
  'Ben Okafor',
  'Chen Wei',
  'Dana Kowalski',
  'Elif Demir',
  'Farah Haddad',
  'Gus Lindqvist',
  'Hana Sato',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Runs `work` over `items`, `width` at a time: thousands of admissions or connections. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>) {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width)
    results.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return results;
}

/** Admits the patients (unless told they exist) and answers each wearable's secret. */
async function secretsFor(
  options: SimulatorOptions,
  client: VigilClient,
  patients: readonly RecordedPatient[],
): Promise<Map<string, string>> {
  if (!options.admit) {
    const file = options.secretsFile as string;
    return new Map(
      Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>),
    );
  }
  const secrets = new Map<string, string>();
  await inParallel([...patients], 16, async (patient) => {
    secrets.set(patient.deviceId, await client.admit(patient));
  });
  if (options.secretsFile) {
    writeFileSync(options.secretsFile, JSON.stringify(Object.fromEntries(secrets), null, 2), {
      mode: 0o600,
    });
  }
  console.log(`admitted ${patients.length} patients on ${options.ward}`);
  return secrets;
}

/** One progress line every 5 s: totals and rates since the last line. */
function progress(counters: WearableCounters, startedAt: number): () => void {
  let last = { at: startedAt, sent: 0, acknowledged: 0 };
  const timer = setInterval(() => {
    const now = Date.now();
    const seconds = (now - last.at) / 1000;
    console.log(
      `${Math.round((now - startedAt) / 1000)} s: sent ${counters.sent} (${Math.round((counters.sent - last.sent) / seconds)}/s), ` +
        `acknowledged ${counters.acknowledged} (${Math.round((counters.acknowledged - last.acknowledged) / seconds)}/s), ` +
        `rejected ${counters.rejected}, held offline ${counters.buffered}`,
    );
    last = { at: now, sent: counters.sent, acknowledged: counters.acknowledged };
  }, 5_000);
  return () => clearInterval(timer);
}

/** Resolves after the duration, or on Ctrl-C. */
function runFor(seconds: number): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    if (seconds > 0) setTimeout(resolve, seconds * 1000);
  });
}

function printSummary(counters: WearableCounters, startedAt: number, verdicts: PatientVerdict[]) {
  const seconds = (Date.now() - startedAt) / 1000;
  console.log(
    `done in ${seconds.toFixed(0)} s: sent ${counters.sent}, acknowledged ${counters.acknowledged} ` +
      `(${(counters.acknowledged / seconds).toFixed(1)}/s), rejected ${counters.rejected}, ` +
      `unacknowledged ${counters.sent - counters.acknowledged}`,
  );
  if (verdicts.length === 0) return;
  console.log('acceptance: what each scenario promises against what Vigil raised');
  for (const v of verdicts) {
    const detail = [
      v.raised.length ? `raised ${v.raised.join(', ')}` : 'raised nothing',
      v.missing.length ? `missing ${v.missing.join(', ')}` : '',
      v.unexpected.length ? `unexpected ${v.unexpected.join(', ')}` : '',
    ].filter(Boolean);
    console.log(
      `  ${v.verdict.toUpperCase().padEnd(7)} ${v.patientId} (${v.scenario}): ${detail.join('; ')}`,
    );
  }
}

async function simulate(options: SimulatorOptions, client: VigilClient): Promise<boolean> {
  const random = new SeededRandom(options.seed);
  const plan = Array.from({ length: options.patients }, (_, index) => {
    const scenario: ScenarioName =
      options.scenario === 'mixed' ? mixedScenario(index) : options.scenario;
    const id = `sim-${options.seed}-${index + 1}`;
    const name = `${NAMES[index % NAMES.length]}${index >= NAMES.length ? ` ${Math.floor(index / NAMES.length) + 1}` : ''}`;
    return {
      patient: {
        id,
        name,
        ward: options.ward,
        deviceId: `${id}-wearable`,
        scenario,
        copd: scenario === 'copd',
      },
      simulated: admitSimulatedPatient(scenario, random),
    };
  });
  const secrets = await secretsFor(
    options,
    client,
    plan.map((entry) => entry.patient),
  );
  const check = options.check
    ? new AcceptanceCheck(
        options.httpUrl,
        client.accessToken,
        plan.map((e) => e.patient),
        options.ward,
      )
    : undefined;
  await check?.connected();
  const startedAt = Date.now();
  const recorder =
    options.recordFile &&
    new RecordingWriter(options.recordFile, {
      vigilRecording: 1,
      startedAt: new Date(startedAt).toISOString(),
      seed: options.seed,
      patients: plan.map((entry) => entry.patient),
    });
  const counters = newCounters();
  const wearables = plan.map(
    ({ patient, simulated }) =>
      new SimulatedWearable(
        patient.deviceId,
        secrets.get(patient.deviceId) ?? '',
        simulated,
        random,
        counters,
      ),
  );
  await inParallel(wearables, 50, (wearable) =>
    wearable.start({
      mqttUrl: options.mqttUrl,
      rateHz: options.rateHz,
      speed: options.speed,
      startedAt,
      record: recorder ? (message) => recorder.write(message) : undefined,
    }),
  );
  for (const { patient } of plan.slice(0, 20))
    console.log(
      `  ${patient.id} (${patient.name}): ${patient.scenario}, ${SCENARIOS[patient.scenario].story}`,
    );
  console.log(
    `${wearables.length} wearables streaming at ${options.rateHz} Hz, scenario speed ${options.speed}x; Ctrl-C stops`,
  );
  const stopProgress = progress(counters, startedAt);
  const churn =
    options.churnSeconds > 0
      ? startChurn(
          client,
          plan.map((entry) => entry.patient),
          options.churnSeconds,
          (line) => console.log(line),
        )
      : undefined;
  await runFor(options.durationSeconds);
  await churn?.stop();
  stopProgress();
  if (churn) {
    const { discharged, readmitted, admittedOnReusedWearable, failed } = churn.counters;
    console.log(
      `churn: ${discharged} discharged, ${readmitted} readmitted, ${admittedOnReusedWearable} new patients on reused wearables, ${failed} failed`,
    );
  }
  // Verdicts first: the wearables going away at the end would rightly raise device.offline.
  const wallSeconds = (Date.now() - startedAt) / 1000;
  const verdicts = check?.verdicts(wallSeconds * options.speed, wallSeconds) ?? [];
  check?.close();
  await Promise.all(wearables.map((wearable) => wearable.stop()));
  if (recorder) await recorder.close();
  printSummary(counters, startedAt, verdicts);
  return verdicts.every((verdict) => verdict.verdict !== 'fail');
}

async function replay(options: SimulatorOptions, client: VigilClient): Promise<boolean> {
  const recording: Recording = options.csv
    ? importCsv(readFileSync(options.csv.file, 'utf8'), options.csv.map, {
        id: `csv-${options.csv.deviceId}`,
        name: `Imported ${basename(options.csv.file)}`,
        ward: options.ward,
        deviceId: options.csv.deviceId,
      })
    : readRecording(options.replayFile as string);
  const secrets = await secretsFor(options, client, recording.header.patients);
  const devices = new Map<string, MqttClient>();
  await inParallel([...recording.header.patients], 50, async ({ deviceId }) => {
    devices.set(
      deviceId,
      await mqtt.connectAsync(options.mqttUrl, {
        clientId: deviceId,
        username: deviceId,
        password: secrets.get(deviceId),
        clean: false,
      }),
    );
  });
  const counters = newCounters();
  const startedAt = Date.now();
  const recordStart = Date.parse(recording.header.startedAt);
  const span = recording.messages.at(-1)?.at ?? 0;
  console.log(
    `replaying ${recording.messages.length} messages of ${devices.size} wearables, ${(span / 1000).toFixed(0)} s recorded, at ${options.speed}x`,
  );
  const stopProgress = progress(counters, startedAt);
  const deadline =
    options.durationSeconds > 0 ? startedAt + options.durationSeconds * 1000 : Infinity;
  let interrupted = false;
  process.once('SIGINT', () => (interrupted = true));
  const pending: Promise<unknown>[] = [];
  for (const message of recording.messages) {
    const due = startedAt + message.at / options.speed;
    if (due > deadline || interrupted) break;
    await sleep(due - Date.now());
    const payload = shiftPayload(message.payload, recordStart, startedAt, options.speed);
    const samples =
      message.channel === 'vitals' ? ((payload.samples as unknown[] | undefined)?.length ?? 1) : 0;
    counters.sent += samples;
    pending.push(
      (devices.get(message.deviceId) as MqttClient)
        .publishAsync(deviceTopic(message.deviceId, message.channel), JSON.stringify(payload), {
          qos: 1,
        })
        .then(() => (counters.acknowledged += samples)),
    );
  }
  await Promise.allSettled(pending);
  stopProgress();
  await Promise.all([...devices.values()].map((device) => device.endAsync()));
  printSummary(counters, startedAt, []);
  return counters.acknowledged === counters.sent;
}

async function main(): Promise<void> {
  const options = readSimulatorOptions(process.argv.slice(2));
  const client = new VigilClient(options.httpUrl);
  if (options.admit) await client.signIn(options.username, options.password);
  const ok =
    options.replayFile || options.csv
      ? await replay(options, client)
      : await simulate(options, client);
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
