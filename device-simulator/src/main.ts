import { admitSimulatedPatient, type ScenarioName } from './patient-scenarios';
import { SeededRandom } from './random';
import { SimulatedWearable, type WearableCounters } from './simulated-wearable';
import { readSimulatorOptions, type SimulatorOptions } from './simulator-options';

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

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // 409: admitted or bound by an earlier run, which is fine.
  if (response.status !== 201 && response.status !== 409) {
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  }
}

async function simulate(options: SimulatorOptions): Promise<void> {
  const random = new SeededRandom(options.seed);
  const counters: WearableCounters = { sent: 0, acknowledged: 0, rejected: 0 };
  const wearables: SimulatedWearable[] = [];
  for (let index = 0; index < options.patients; index++) {
    const scenario: ScenarioName = index === options.patients - 1 ? 'hypoxia' : 'stable';
    const patientId = `sim-${options.seed}-${index + 1}`;
    const name = `${NAMES[index % NAMES.length]}${index >= NAMES.length ? ` ${Math.floor(index / NAMES.length) + 1}` : ''}`;
    await post(`${options.httpUrl}/api/patients`, { id: patientId, name, ward: options.ward });
    await post(`${options.httpUrl}/api/devices`, { id: `${patientId}-wearable`, patientId });
    wearables.push(
      new SimulatedWearable(
        `${patientId}-wearable`,
        admitSimulatedPatient(scenario, random),
        random,
        counters,
      ),
    );
    console.log(`admitted ${patientId} (${name}), scenario ${scenario}`);
  }

  const startedAt = Date.now();
  await Promise.all(
    wearables.map((wearable) => wearable.start(options.mqttUrl, options.rateHz, startedAt)),
  );
  console.log(`${wearables.length} wearables streaming at ${options.rateHz} Hz; Ctrl-C stops`);
  const progress = setInterval(() => {
    const elapsed = ((Date.now() - startedAt) / 1000).toFixed(0);
    console.log(
      `${elapsed} s: sent ${counters.sent}, acknowledged ${counters.acknowledged}, rejected ${counters.rejected}`,
    );
  }, 5_000);

  const stop = async () => {
    clearInterval(progress);
    await Promise.all(wearables.map((wearable) => wearable.stop()));
    console.log(
      `done: sent ${counters.sent}, acknowledged ${counters.acknowledged}, rejected ${counters.rejected}`,
    );
    process.exit(counters.rejected > 0 ? 1 : 0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  if (options.durationSeconds > 0) setTimeout(() => void stop(), options.durationSeconds * 1000);
}

simulate(readSimulatorOptions(process.argv.slice(2))).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
