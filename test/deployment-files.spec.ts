// Proves the deployment files keep what the hardening review asked of them: compose refuses to
// start without secrets and ships none, the databases are not published, and the examples run
// on TLS; and that the cluster's nodes are configured alike and all behind HAProxy.
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

describe('deploy/cluster (two nodes behind HAProxy)', () => {
  const dir = join(__dirname, '..', 'deploy', 'cluster');
  const cluster = readFileSync(join(dir, 'compose.yml'), 'utf8');
  const haproxy = readFileSync(join(dir, 'haproxy.cfg'), 'utf8');

  it('requires every secret, sets none, and gives every node the same shared ones', () => {
    for (const secret of [
      'VIGIL_ADMIN_PASSWORD',
      'VIGIL_DB_ENCRYPTION_KEY',
      'VIGIL_AUTH_SIGNING_KEY',
      'POSTGRES_PASSWORD',
      'INFLUX_TOKEN',
      'INFLUX_PASSWORD',
    ])
      expect([secret, cluster]).toEqual([secret, expect.stringContaining(`\${${secret}:?`)]);
    expect(cluster).not.toMatch(/\$\{[A-Z_]+:-/);
    // One definition of a node's settings, shared by both through a YAML anchor.
    expect(cluster.match(/<<: \*vigil-env/g)).toHaveLength(2);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'INFLUX_URL', 'CLUSTER_PEER_PORT'])
      expect(cluster).toMatch(new RegExp(`^    ${name}: `, 'm'));
  });

  it('publishes only HAProxy, and keeps the databases on an internal network', () => {
    const published = [...cluster.matchAll(/^ {2}([a-z0-9-]+):\n(?: {4}.*\n)*? {4}ports:/gm)].map(
      (match) => match[1],
    );
    expect(published).toEqual(['haproxy']);
    expect(cluster).toMatch(/backend:\n\s+internal: true/);
  });

  it('balances every node on both ports, MQTT over TLS passed through to them', () => {
    for (const node of ['vigil-1', 'vigil-2']) {
      expect(haproxy).toContain(`server ${node} ${node}:8883 check port 3000`);
      expect(haproxy).toContain(`server ${node} ${node}:3000 ssl verify required`);
    }
    expect(haproxy).toMatch(/backend vigil_mqtts\n(?: {4}.*\n)*? {4}balance leastconn/);
    expect(haproxy).toMatch(/^defaults\n(?: {4}.*\n)*? {4}mode tcp$/m);
    expect(haproxy).toContain('option forwardfor');
  });
});
