// Proves configuration is validated once, with defaults, and that every bad variable is named.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './vigil-config';

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ httpPort: 3000, mqttPort: 1883, mqttMaxPayloadBytes: 65536 });
    expect(config.dataDir).toMatch(/data$/);
    expect(config.seedFile).toBeUndefined();
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ HTTP_PORT: 'eighty', MQTT_PORT: '70000', MQTT_MAX_PAYLOAD_BYTES: '1.5' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toEqual(expect.stringContaining('HTTP_PORT'));
    expect(problems.join('\n')).toEqual(expect.stringContaining('MQTT_PORT'));
    expect(problems.join('\n')).toEqual(expect.stringContaining('MQTT_MAX_PAYLOAD_BYTES'));
  });

  it('runs an edge worker per core unless told how many, from 1 (one process) to 64', () => {
    expect(loadConfig({}).workers).toBe(availableParallelism());
    expect(loadConfig({ VIGIL_WORKERS: '1' }).workers).toBe(1);
    expect(() => loadConfig({ VIGIL_WORKERS: '0' })).toThrow(/VIGIL_WORKERS/);
    expect(() => loadConfig({ VIGIL_WORKERS: 'all' })).toThrow(/VIGIL_WORKERS/);
  });

  it('takes a PostgreSQL URL for the shared records, and names a bad one without echoing it', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://vigil:pw@db:5432/vigil' }).databaseUrl).toBe(
      'postgres://vigil:pw@db:5432/vigil',
    );
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@db/x' })).toThrow(
      /^(?![\s\S]*secret)[\s\S]*DATABASE_URL must be a postgres/,
    );
  });

  it('accepts port 0 so tests can take a free port', () => {
    expect(loadConfig({ HTTP_PORT: '0', MQTT_PORT: '0' })).toMatchObject({
      httpPort: 0,
      mqttPort: 0,
    });
  });

  it('reads InfluxDB 2.x settings and names what is missing', () => {
    expect(
      loadConfig({
        INFLUX_URL: 'http://db:8086',
        INFLUX_TOKEN: 't',
        INFLUX_ORG: 'o',
        INFLUX_BUCKET: 'b',
      }).influx,
    ).toEqual({
      url: 'http://db:8086',
      api: 'v2',
      token: 't',
      org: 'o',
      bucket: 'b',
      spoolMaxLines: 2_000_000,
    });
    expect(() => loadConfig({ INFLUX_URL: 'http://db:8086' })).toThrow(
      /INFLUX_ORG.*\n.*INFLUX_BUCKET.*\n.*INFLUX_TOKEN/s,
    );
  });

  it('reads InfluxDB 1.x settings, where a database replaces org and bucket', () => {
    const config = loadConfig({
      INFLUX_URL: 'http://127.0.0.1:8086',
      INFLUX_API: 'v1',
      INFLUX_DATABASE: 'vigil',
    });
    expect(config.influx).toMatchObject({ api: 'v1', bucket: 'vigil' });
    expect(() => loadConfig({ INFLUX_URL: 'http://x', INFLUX_API: 'v1' })).toThrow(
      /INFLUX_DATABASE/,
    );
    expect(() => loadConfig({ INFLUX_URL: 'http://x', INFLUX_API: 'v3' })).toThrow(
      /INFLUX_API must be v1 or v2/,
    );
  });

  it('uses the embedded store without INFLUX_URL', () => {
    expect(loadConfig({ INFLUX_DATABASE: 'ignored' }).influx).toBeUndefined();
  });

  it('refuses half a TLS configuration, unreadable files, and plain MQTT off without TLS', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: '/nonexistent.pem' })).toThrow(
      /TLS_CERT_FILE and TLS_KEY_FILE go together/,
    );
    expect(() =>
      loadConfig({ TLS_CERT_FILE: '/nonexistent.pem', TLS_KEY_FILE: '/nonexistent-key.pem' }),
    ).toThrow(/TLS_CERT_FILE cannot be read/);
    expect(() => loadConfig({ MQTT_PLAIN: 'false' })).toThrow(
      /MQTT_PLAIN=false needs TLS_CERT_FILE/,
    );
    expect(() => loadConfig({ MQTT_PLAIN: 'no' })).toThrow(/MQTT_PLAIN must be true or false/);
  });

  it('reads sign-in settings: short access tokens, a first administrator, weak values named', () => {
    expect(loadConfig({}).auth).toMatchObject({
      accessTokenSeconds: 900,
      refreshTokenSeconds: 43_200,
      adminUsername: 'admin',
      loginMaxFailures: 5,
      secureCookies: false,
    });
    expect(loadConfig({}).auth.adminPassword).toBeUndefined();
    let error: unknown;
    try {
      loadConfig({ ADMIN_PASSWORD: 'short', AUTH_SIGNING_KEY: 'k', ADMIN_USERNAME: 'Root!' });
    } catch (caught) {
      error = caught;
    }
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('ADMIN_PASSWORD must be at least 12');
    expect(problems).toContain('AUTH_SIGNING_KEY');
    expect(problems).toContain('ADMIN_USERNAME');
    expect(problems).not.toContain('short');
  });

  it('trusts no proxy by default, and only the proxies it is told of', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(
      loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.5,10.1.0.0/16,fd00::/8' }).trustProxy,
    ).toEqual(['loopback', '10.0.0.5', '10.1.0.0/16', 'fd00::/8']);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example', '0'])
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be/);
  });

  it('reads the database key from the variable or the first line of a file, never both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-key-'));
    const file = join(dir, 'key');
    writeFileSync(file, 'a-key-from-a-file-of-its-own\nignored\n');
    expect(loadConfig({ DB_ENCRYPTION_KEY_FILE: file }).dbEncryptionKey).toBe(
      'a-key-from-a-file-of-its-own',
    );
    expect(loadConfig({ DB_ENCRYPTION_KEY: 'sixteen-chars-ok' }).dbEncryptionKey).toBe(
      'sixteen-chars-ok',
    );
    expect(loadConfig({}).dbEncryptionKey).toBeUndefined();
    expect(() => loadConfig({ DB_ENCRYPTION_KEY: 'short' })).toThrow(/at least 16 characters/);
    expect(() =>
      loadConfig({ DB_ENCRYPTION_KEY: 'sixteen-chars-ok', DB_ENCRYPTION_KEY_FILE: file }),
    ).toThrow(/set one, not both/);
    expect(() => loadConfig({ DB_ENCRYPTION_KEY_FILE: join(dir, 'missing') })).toThrow(
      /DB_ENCRYPTION_KEY_FILE cannot be read/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('charts to the EHR only when told where, with its intervals, and names bad settings', () => {
    expect(loadConfig({}).hl7Out).toBeUndefined();
    expect(
      loadConfig({
        HL7_OUT_HOST: 'engine.local',
        HL7_OUT_PORT: '6661',
        HL7_OUT_WARD_INTERVALS: 'icu=15,ward-3=300',
        HL7_OUT_RECEIVER: 'EPIC^GENERAL',
      }).hl7Out,
    ).toMatchObject({
      host: 'engine.local',
      port: 6661,
      intervalMs: 60_000,
      wardIntervalsMs: { icu: 15_000, 'ward-3': 300_000 },
      graceMs: 10_000,
      alarmAfterMs: 600_000,
      receiver: { application: 'EPIC', facility: 'GENERAL' },
    });
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ HL7_OUT_HOST: 'engine.local' })).toEqual(['HL7_OUT_HOST needs HL7_OUT_PORT']);
    expect(
      problems({ HL7_OUT_HOST: 'e', HL7_OUT_PORT: '1', HL7_OUT_WARD_INTERVALS: 'icu=0,ward' }),
    ).toHaveLength(2);
  });

  it('serves the API description only when switched on', () => {
    expect(loadConfig({}).apiDocs).toBe(false);
    expect(loadConfig({ API_DOCS: 'true' }).apiDocs).toBe(true);
    expect(() => loadConfig({ API_DOCS: 'yes' })).toThrow(/API_DOCS must be true or false/);
  });
});
