// Proves the deployment files keep what the hardening review asked of them: compose refuses to
// start without secrets and ships none, InfluxDB is not published, and the example runs on TLS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const compose = readFileSync(join(__dirname, '..', 'docker-compose.yml'), 'utf8');
/** The lines of one service's block, comments left out. */
function service(name: string): string {
  const block = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)*)`, 'm').exec(compose)?.[1] ?? '';
  return block
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
}

describe('docker-compose.yml', () => {
  it('requires every secret and sets none by default', () => {
    expect(compose).not.toMatch(/vigil-dev-token|change-me/);
    for (const secret of [
      'VIGIL_ADMIN_PASSWORD',
      'VIGIL_DB_ENCRYPTION_KEY',
      'INFLUX_TOKEN',
      'INFLUX_PASSWORD',
    ])
      expect([secret, compose]).toEqual([secret, expect.stringContaining(`\${${secret}:?`)]);
    expect(compose).not.toMatch(/\$\{[A-Z_]+:-/);
  });

  it('keeps InfluxDB on an internal network, unpublished', () => {
    const influx = service('influxdb');
    expect(influx).toContain('image: influxdb:2');
    expect(influx).not.toMatch(/^\s+ports:/m);
    expect(influx).toContain('networks: [backend]');
    expect(compose).toMatch(/backend:\n\s+internal: true/);
  });

  it('serves Vigil over TLS only', () => {
    const vigil = service('vigil');
    expect(vigil).toContain("MQTT_PLAIN: 'false'");
    expect(vigil).toMatch(/TLS_CERT_FILE: \S+/);
    expect(vigil).toMatch(/TLS_KEY_FILE: \S+/);
    expect(vigil).not.toContain('1883');
  });
});
