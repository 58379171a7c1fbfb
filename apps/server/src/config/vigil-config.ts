import { resolve } from 'node:path';

/** Vigil's configuration, read once from the environment at start-up. */
export interface VigilConfig {
  readonly httpPort: number;
  readonly mqttPort: number;
  /** Address both listeners bind; all interfaces when absent. */
  readonly bindAddress?: string;
  readonly dataDir: string;
  readonly seedFile?: string;
  readonly mqttMaxPayloadBytes: number;
  readonly consoleDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env): VigilConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const text = (name: string): string | undefined => {
    const raw = env[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const config: VigilConfig = {
    httpPort: integer('HTTP_PORT', 3000, 0, 65535),
    mqttPort: integer('MQTT_PORT', 1883, 0, 65535),
    bindAddress: text('BIND_ADDRESS'),
    dataDir: resolve(text('DATA_DIR') ?? 'data'),
    seedFile: text('SEED_FILE') && resolve(text('SEED_FILE') as string),
    mqttMaxPayloadBytes: integer('MQTT_MAX_PAYLOAD_BYTES', 64 * 1024, 256, 1024 * 1024),
    consoleDir: resolve(text('CONSOLE_DIR') ?? 'dist/console'),
  };
  if (text('INFLUX_URL')) {
    problems.push(
      'INFLUX_URL is set, but this version has no InfluxDB adapter yet; unset it to use the embedded store',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
