import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export interface SimulatorOptions {
  readonly httpUrl: string;
  readonly mqttUrl: string;
  readonly patients: number;
  readonly rateHz: number;
  /** Seconds; 0 runs until interrupted. */
  readonly durationSeconds: number;
  readonly seed: number;
  readonly ward: string;
  /** An administrator's sign-in, to admit patients and bind wearables. */
  readonly username: string;
  readonly password: string;
}

export const USAGE = `Usage: npm run simulate -- [options]
  --http URL        Vigil's HTTP address (default http://127.0.0.1:3000)
  --mqtt URL        Vigil's MQTT address (default mqtt://127.0.0.1:1883)
  --patients N      simulated patients, one wearable each (default 5)
  --rate HZ         samples per second per wearable (default 1)
  --duration S      seconds to run; 0 runs until Ctrl-C (default 0)
  --seed N          seed for repeatable runs (default 1)
  --ward NAME       ward the patients are admitted to (default ward-1)
  --user NAME       administrator who admits the patients (default admin)
  --password-file F file holding that administrator's password (default
                    data/initial-admin-password, written by Vigil's first start);
                    the VIGIL_PASSWORD environment variable takes precedence
The last patient develops hypoxia; Vigil should raise a high-priority SpO2 alert within a minute.`;

export function readSimulatorOptions(argv: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      http: { type: 'string', default: 'http://127.0.0.1:3000' },
      mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
      patients: { type: 'string', default: '5' },
      rate: { type: 'string', default: '1' },
      duration: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      ward: { type: 'string', default: 'ward-1' },
      user: { type: 'string', default: 'admin' },
      'password-file': { type: 'string', default: 'data/initial-admin-password' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (name: string, raw: string, min: number, max: number) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new Error(
        `--${name} must be a number from ${min} to ${max} (got "${raw}")\n\n${USAGE}`,
      );
    }
    return value;
  };
  return {
    httpUrl: values.http.replace(/\/$/, ''),
    mqttUrl: values.mqtt,
    patients: Math.round(number('patients', values.patients, 1, 10_000)),
    rateHz: number('rate', values.rate, 0.01, 50),
    durationSeconds: number('duration', values.duration, 0, 7 * 86_400),
    seed: Math.round(number('seed', values.seed, 0, 2 ** 32 - 1)),
    ward: values.ward,
    username: values.user,
    password: readPassword(values['password-file']),
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
