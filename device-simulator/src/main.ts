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

/** Set once signed in; every request carries it. */
let accessToken = '';

async function post(
  url: string,
  body: unknown,
  accept: number[] = [201],
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify(body),
  });
  if (!accept.includes(response.status)) {
    throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  }
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

/** Binds the wearable and returns its secret; one bound by an earlier run gets a new secret. */
async function bindWearable(httpUrl: string, deviceId: string, patientId: string): Promise<string> {
  const bound = await post(`${httpUrl}/api/devices`, { id: deviceId, patientId }, [201, 409]);
  if (bound.status === 201) return (bound.body as { secret: string }).secret;
  const rotated = await post(`${httpUrl}/api/devices/${deviceId}/secret`, {}, [200]);
  return (rotated.body as { secret: string }).secret;
}

async function simulate(options: SimulatorOptions): Promise<void> {
  const random = new SeededRandom(options.seed);
  const counters: WearableCounters = { sent: 0, acknowledged: 0, rejected: 0 };
  const wearables: SimulatedWearable[] = [];
  const session = await post(
    `${options.httpUrl}/api/auth/login`,
    { username: options.username, password: options.password },
    [200],
  );
  accessToken = (session.body as { accessToken: string }).accessToken;
  for (let index = 0; index < options.patients; index++) {
    const scenario: ScenarioName = index === options.patients - 1 ? 'hypoxia' : 'stable';
    const patientId = `sim-${options.seed}-${index + 1}`;
    const name = `${NAMES[index % NAMES.length]}${index >= NAMES.length ? ` ${Math.floor(index / NAMES.length) + 1}` : ''}`;
    // 409: admitted by an earlier run, which is fine.
    await post(
      `${options.httpUrl}/api/patients`,
      { id: patientId, name, ward: options.ward },
      [201, 409],
    );
    const secret = await bindWearable(options.httpUrl, `${patientId}-wearable`, patientId);
    wearables.push(
      new SimulatedWearable(
        `${patientId}-wearable`,
        secret,
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
