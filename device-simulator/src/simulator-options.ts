import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, type ScenarioName } from './patient-scenarios';

export interface SimulatorOptions {
  readonly httpUrl: string;
  readonly mqttUrl: string;
  readonly patients: number;
  readonly rateHz: number;
  readonly scenario: ScenarioName | 'mixed';
  readonly speed: number;
  /** Seconds; 0 runs until interrupted (or, replaying, until the recording ends). */
  readonly durationSeconds: number;
  readonly seed: number;
  readonly ward: string;
  /** An administrator's sign-in, to admit patients and bind wearables. */
  readonly username: string;
  readonly password: string;
  /** false: the patients and devices exist; their secrets come from `secretsFile`. */
  readonly admit: boolean;
  readonly secretsFile?: string;
  readonly check: boolean;
  /** Seconds between discharges (0: none): each patient in turn leaves and her wearable is reused. */
  readonly churnSeconds: number;
  readonly recordFile?: string;
  readonly replayFile?: string;
  readonly csv?: { readonly file: string; readonly map: string; readonly deviceId: string };
}

export const USAGE = `Usage: npm run simulate -- [options]
  --http URL          Vigil's HTTP address (default http://127.0.0.1:3000)
  --mqtt URL          Vigil's MQTT address (default mqtt://127.0.0.1:1883)
  --patients N        simulated patients, one wearable each (default 5)
  --rate HZ           samples per second per wearable (default 1)
  --scenario NAME     ${SCENARIO_NAMES.join(', ')}, or mixed (default mixed:
                      every other patient stable, the others one story each in turn)
  --speed X           scenario seconds per real second (default 1; 60 plays an hour a minute);
                      timestamps stay real, so Vigil's sustain times hold
  --duration S        seconds to run; 0 runs until Ctrl-C (default 0)
  --seed N            seed for repeatable runs (default 1)
  --ward NAME         ward the patients are admitted to (default ward-1)
  --user NAME         administrator who admits the patients (default admin)
  --password-file F   file holding that administrator's password (default
                      data/initial-admin-password, written by Vigil's first start);
                      the VIGIL_PASSWORD environment variable takes precedence
  --no-admit          the patients and devices exist already: read secrets from --secrets
  --secrets FILE      JSON {deviceId: secret}: written after admitting, read with --no-admit
  --no-check          do not watch the console feed for the alerts each scenario promises
  --churn S           every S seconds discharge one patient in turn; 3 s later her wearable
                      goes back on, alternately on her readmitted (a new stay) and on a new
                      patient, so a long run exercises stays and device reuse (implies --no-check)
  --record FILE       write every published message to FILE (NDJSON)
  --replay FILE       replay a recording, timestamps moved to now (with --speed)
  --csv FILE          replay a CSV export as one wearable, with --map and --csv-device
  --map SPEC          CSV columns: ts=<time column>,heartRate=<column>,spo2=<column>...
  --csv-device ID     the wearable the CSV rows came from (default csv-1)`;

export function readSimulatorOptions(argv: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      http: { type: 'string', default: 'http://127.0.0.1:3000' },
      mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      patients: { type: 'string', default: '5' },
      rate: { type: 'string', default: '1' },
      scenario: { type: 'string', default: 'mixed' },
      speed: { type: 'string', default: '1' },
      duration: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      ward: { type: 'string', default: 'ward-1' },
      user: { type: 'string', default: 'admin' },
      'password-file': { type: 'string', default: 'data/initial-admin-password' },
      'no-admit': { type: 'boolean', default: false },
      secrets: { type: 'string' },
      'no-check': { type: 'boolean', default: false },
      churn: { type: 'string', default: '0' },
      record: { type: 'string' },
      replay: { type: 'string' },
      csv: { type: 'string' },
      map: { type: 'string' },
      'csv-device': { type: 'string', default: 'csv-1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const fail = (message: string): never => {
    throw new Error(`${message}\n\n${USAGE}`);
  };
  const number = (name: string, raw: string, min: number, max: number) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max)
      fail(`--${name} must be a number from ${min} to ${max} (got "${raw}")`);
    return value;
  };
  const scenario = values.scenario;
  if (scenario !== 'mixed' && !(SCENARIO_NAMES as readonly string[]).includes(scenario))
    fail(`--scenario must be mixed or one of ${SCENARIO_NAMES.join(', ')} (got "${scenario}")`);
  if (values['no-admit'] && !values.secrets) fail('--no-admit needs --secrets FILE');
  if (values.csv && !values.map) fail('--csv needs --map ts=<column>,<vital>=<column>...');
  if (values.replay && values.csv) fail('--replay and --csv do not go together');
  const admit = !values['no-admit'];
  const churnSeconds = number('churn', values.churn, 0, 86_400);
  if (churnSeconds > 0 && !admit) fail('--churn needs to admit patients: drop --no-admit');
  return {
    httpUrl: values.http.replace(/\/$/, ''),
    mqttUrl: values.mqtt,
    patients: Math.round(number('patients', values.patients, 1, 20_000)),
    rateHz: number('rate', values.rate, 0.01, 50),
    scenario: scenario as ScenarioName | 'mixed',
    speed: number('speed', values.speed, 0.01, 10_000),
    durationSeconds: number('duration', values.duration, 0, 7 * 86_400),
    seed: Math.round(number('seed', values.seed, 0, 2 ** 32 - 1)),
    ward: values.ward,
    username: values.user,
    password: admit ? readPassword(values['password-file']) : '',
    admit,
    secretsFile: values.secrets,
    check: admit && !values['no-check'] && churnSeconds === 0,
    churnSeconds,
    recordFile: values.record,
    replayFile: values.replay,
    csv: values.csv
      ? { file: values.csv, map: values.map as string, deviceId: values['csv-device'] }
      : undefined,
  };
}

function readPassword(file: string): string {
  const fromEnv = process.env.VIGIL_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!existsSync(file)) {
    throw new Error(
      `no password: set VIGIL_PASSWORD, or --password-file (${file} does not exist)\n\n${USAGE}`,
    );
  }
  return readFileSync(file, 'utf8').trim();
}
