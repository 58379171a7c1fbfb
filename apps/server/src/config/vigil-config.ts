import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from '@vigil/contracts';
import type { InfluxOptions } from '@vigil/storage';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../operations/logging';
import type { Hl7OutOptions } from '../hl7/hl7-out-options';
import type { NotificationOptions } from '../notifications/notification-options';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';

/** Vigil's configuration, read once from the environment at start-up. */
export interface VigilConfig {
  readonly httpPort: number;
  /** null when plain MQTT is switched off (MQTT_PLAIN=false). */
  readonly mqttPort: number | null;
  /** Present when TLS_CERT_FILE and TLS_KEY_FILE are set: HTTPS/WSS, and MQTT over TLS. */
  readonly tls?: {
    readonly key: Buffer;
    readonly cert: Buffer;
    readonly clientCa?: Buffer;
    readonly mqttsPort: number;
  };
  /** Address both listeners bind; all interfaces when absent. */
  readonly bindAddress?: string;
  readonly dataDir: string;
  /** Encrypts the embedded database (DB_ENCRYPTION_KEY, or the first line of DB_ENCRYPTION_KEY_FILE). */
  readonly dbEncryptionKey?: string;
  readonly seedFile?: string;
  readonly mqttMaxPayloadBytes: number;
  readonly mqttMaxMessagesPerSecond: number;
  /** Samples a device may send per second, whatever their batching. */
  readonly mqttMaxSamplesPerSecond: number;
  /**
   * Which proxies' `X-Forwarded-For` names the client (Express's `trust proxy`): false (the
   * default: the peer is the client), a hop count, or the proxies' addresses and subnets.
   */
  readonly trustProxy: false | number | readonly string[];
  /** The OpenAPI document and its reader are served (to anyone) only when switched on. */
  readonly apiDocs: boolean;
  readonly log: { readonly level: LogLevel; readonly format: LogFormat };
  readonly consoleDir: string;
  /** A bound device silent this long raises a technical alarm. */
  readonly noDataTimeoutMs: number;
  /** How long a lost device waits to see whether others of its ward are lost with it. */
  readonly lostDeviceGroupingMs: number;
  /** How many patients of a ward lost at once raise one ward alarm instead of theirs. */
  readonly wardOutagePatients: number;
  readonly notifications: NotificationOptions;
  /** A high-priority alert unacknowledged this long is escalated; then reminded every remindEveryMs. */
  readonly escalateAfterMs: number;
  readonly remindEveryMs: number;
  /** Absent: the embedded store keeps telemetry. */
  readonly influx?: InfluxOptions;
  /**
   * Edge worker processes that hold the devices' MQTT connections (VIGIL_WORKERS, default the
   * machine's available parallelism); 1: this process holds them, with no worker.
   */
  readonly workers: number;
  /** PostgreSQL the nodes share: registry, users, alerts, observations, notification queues. */
  readonly databaseUrl?: string;
  /** Redis, when several nodes serve one set of consoles: their events travel through it. */
  readonly redisUrl?: string;
  /** Several nodes owning the patients by partition (CLUSTER_PEER_PORT set). */
  readonly cluster?: ClusterOptions;
  /** Charting to the EHR (IHE PCD-01 over MLLP), when HL7_OUT_HOST and HL7_OUT_PORT are set. */
  readonly hl7Out?: Hl7OutOptions;
  /** The HL7 v2 ADT listener (MLLP), when HL7_PORT is set; over TLS when `tls` is configured. */
  readonly hl7?: {
    readonly port: number;
    /** Addresses and subnets the hospital's PAS or interface engine connects from. */
    readonly allowedAddresses: readonly string[];
  };
  readonly auth: AuthOptions;
}

/** This node's place in a cluster (docs/operations.md, several nodes). */
export interface ClusterOptions {
  /** This node's name in the partition leases; unique in the cluster. */
  readonly node: string;
  /** Where the peer link listens (on BIND_ADDRESS), and the host other nodes reach it at. */
  readonly peerPort: number;
  readonly peerHost: string;
  /** A partition whose owner has not renewed its lease this long goes to another node. */
  readonly leaseMs: number;
}

/** How people sign in. */
export interface AuthOptions {
  /** HMAC key of access tokens; absent: a random key kept in `DATA_DIR/auth-signing.key`. */
  readonly signingKey?: string;
  readonly accessTokenSeconds: number;
  readonly refreshTokenSeconds: number;
  /** The first administrator, created at the first start when there are no users. */
  readonly adminUsername: string;
  /** Absent: a random password is written to `DATA_DIR/initial-admin-password`, never logged. */
  readonly adminPassword?: string;
  /** Failed logins allowed per user name and per address within `loginWindowSeconds`. */
  readonly loginMaxFailures: number;
  readonly loginWindowSeconds: number;
  /** Refresh cookie flagged Secure: set with TLS, or by COOKIE_SECURE=true behind a TLS proxy. */
  readonly secureCookies: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** How loadConfig reads one variable; each records its own problem. */
interface Readers {
  text(name: string): string | undefined;
  integer(name: string, fallback: number, min: number, max: number): number;
  flag(name: string, fallback: boolean): boolean;
}

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
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (allowed.includes(raw as T)) return raw as T;
    problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  const mqttPlain = flag('MQTT_PLAIN', true);
  const config: Omit<VigilConfig, 'auth'> = {
    httpPort: integer('HTTP_PORT', 3000, 0, 65535),
    mqttPort: mqttPlain ? integer('MQTT_PORT', 1883, 0, 65535) : null,
    bindAddress: text('BIND_ADDRESS'),
    dataDir: resolve(text('DATA_DIR') ?? 'data'),
    seedFile: text('SEED_FILE') && resolve(text('SEED_FILE') as string),
    mqttMaxPayloadBytes: integer('MQTT_MAX_PAYLOAD_BYTES', 64 * 1024, 256, 1024 * 1024),
    mqttMaxMessagesPerSecond: integer('MQTT_MAX_MESSAGES_PER_SECOND', 50, 1, 100_000),
    mqttMaxSamplesPerSecond: integer('MQTT_MAX_SAMPLES_PER_SECOND', 50, 1, 100_000),
    trustProxy: readTrustProxy(text('TRUST_PROXY'), problems),
    apiDocs: flag('API_DOCS', false),
    log: {
      level: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
      format: oneOf('LOG_FORMAT', LOG_FORMATS, 'auto'),
    },
    dbEncryptionKey: readEncryptionKey(text, problems),
    consoleDir: resolve(text('CONSOLE_DIR') ?? 'dist/console'),
    noDataTimeoutMs: integer('NO_DATA_TIMEOUT_SECONDS', 30, 1, 86_400) * 1000,
    lostDeviceGroupingMs: integer('LOST_DEVICE_GROUPING_SECONDS', 5, 0, 120) * 1000,
    wardOutagePatients: integer('WARD_OUTAGE_PATIENTS', 5, 2, 100_000),
    notifications: {
      failureAlarmAfterMs: integer('NOTIFICATION_FAILURE_ALARM_SECONDS', 120, 1, 86_400) * 1000,
      maxRetryDelayMs: integer('NOTIFICATION_RETRY_MAX_SECONDS', 30, 1, 3_600) * 1000,
      attemptTimeoutMs: integer('NOTIFICATION_TIMEOUT_SECONDS', 10, 1, 120) * 1000,
      maxQueuedPerTarget: integer('NOTIFICATION_QUEUE_MAX', 100_000, 100, 10_000_000),
    },
    escalateAfterMs: integer('ESCALATE_AFTER_SECONDS', 120, 1, 86_400) * 1000,
    remindEveryMs: integer('REMIND_EVERY_SECONDS', 60, 1, 86_400) * 1000,
    workers: integer('VIGIL_WORKERS', availableParallelism(), 1, 64),
  };
  const influx = readInfluxOptions(env, text, integer, problems);
  const hl7 = readHl7Options(text, integer, problems);
  const hl7Out = readHl7OutOptions(text, integer, flag, problems);
  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^/]+/.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL');
  const redisUrl = text('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/]+/.test(redisUrl))
    problems.push(`REDIS_URL must be a redis:// or rediss:// URL (got "${redisUrl}")`);
  const cluster = readClusterOptions(text, integer, problems);
  if (cluster) {
    const needs = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, INFLUX_URL: influx };
    for (const [name, value] of Object.entries(needs))
      if (value === undefined) problems.push(`CLUSTER_PEER_PORT needs ${name}: nodes share it`);
    if (!text('AUTH_SIGNING_KEY'))
      problems.push('CLUSTER_PEER_PORT needs AUTH_SIGNING_KEY, the same on every node');
  }
  if (cluster && hl7Out)
    problems.push("HL7_OUT_HOST is not yet supported on a cluster (its outbox is one node's)");
  const tls = readTlsOptions(text, integer, problems);
  const auth = readAuthOptions(env, { text, integer, flag }, problems, Boolean(tls));
  if (!mqttPlain && !tls) problems.push('MQTT_PLAIN=false needs TLS_CERT_FILE and TLS_KEY_FILE');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...config,
    auth,
    ...(influx && { influx }),
    ...(tls && { tls }),
    ...(hl7 && { hl7 }),
    ...(hl7Out && { hl7Out }),
    ...(redisUrl !== undefined && { redisUrl }),
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(cluster && { cluster }),
  };
}

function readClusterOptions(
  text: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): ClusterOptions | undefined {
  if (text('CLUSTER_PEER_PORT') === undefined) return undefined;
  const peerPort = integer('CLUSTER_PEER_PORT', 0, 1, 65535);
  const peerHost = text('CLUSTER_PEER_HOST') ?? hostname();
  const node = text('CLUSTER_NODE_ID') ?? `${peerHost}:${peerPort}`;
  if (!/^[\w.:-]{1,100}$/.test(node))
    problems.push(`CLUSTER_NODE_ID must be letters, digits, '.', ':', '_' or '-' (got "${node}")`);
  return { node, peerPort, peerHost, leaseMs: integer('CLUSTER_LEASE_SECONDS', 10, 2, 300) * 1000 };
}

function readInfluxOptions(
  env: Env,
  text: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): InfluxOptions | undefined {
  const url = text('INFLUX_URL');
  const spoolMaxLines = integer('SPOOL_MAX_LINES', 2_000_000, 1_000, 1_000_000_000);
  if (!url) return undefined;
  if (!/^https?:\/\/[^/]+/.test(url))
    problems.push(`INFLUX_URL must be an http(s) URL (got "${url}")`);
  const api = text('INFLUX_API') ?? 'v2';
  if (api !== 'v1' && api !== 'v2') {
    problems.push(`INFLUX_API must be v1 or v2 (got "${env.INFLUX_API}")`);
    return undefined;
  }
  const token = text('INFLUX_TOKEN');
  if (api === 'v1') {
    const database = text('INFLUX_DATABASE');
    if (!database) problems.push('INFLUX_DATABASE is required with INFLUX_API=v1');
    return { url, api, token, bucket: database ?? '', spoolMaxLines };
  }
  const org = text('INFLUX_ORG');
  const bucket = text('INFLUX_BUCKET');
  if (!org) problems.push('INFLUX_ORG is required with INFLUX_API=v2');
  if (!bucket) problems.push('INFLUX_BUCKET is required with INFLUX_API=v2');
  if (!token) problems.push('INFLUX_TOKEN is required with INFLUX_API=v2');
  return { url, api, token, org, bucket: bucket ?? '', spoolMaxLines };
}

function readTlsOptions(
  text: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): VigilConfig['tls'] {
  const mqttsPort = integer('MQTTS_PORT', 8883, 0, 65535);
  const [certFile, keyFile, caFile] = [
    text('TLS_CERT_FILE'),
    text('TLS_KEY_FILE'),
    text('TLS_CA_FILE'),
  ];
  if (!certFile && !keyFile) {
    if (caFile) problems.push('TLS_CA_FILE needs TLS_CERT_FILE and TLS_KEY_FILE');
    return undefined;
  }
  if (!certFile || !keyFile) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE go together');
    return undefined;
  }
  const read = (name: string, file: string): Buffer | undefined => {
    try {
      return readFileSync(file);
    } catch (error) {
      problems.push(`${name} cannot be read: ${(error as Error).message}`);
      return undefined;
    }
  };
  const cert = read('TLS_CERT_FILE', certFile);
  const key = read('TLS_KEY_FILE', keyFile);
  const clientCa = caFile ? read('TLS_CA_FILE', caFile) : undefined;
  if (!cert || !key) return undefined;
  return { cert, key, mqttsPort, ...(clientCa && { clientCa }) };
}

function readAuthOptions(
  env: Env,
  { text, integer, flag }: Pick<Readers, 'text' | 'integer' | 'flag'>,
  problems: string[],
  tls: boolean,
): AuthOptions {
  const signingKey = text('AUTH_SIGNING_KEY');
  if (signingKey !== undefined && signingKey.length < 32)
    problems.push('AUTH_SIGNING_KEY must be at least 32 characters');
  const adminUsername = text('ADMIN_USERNAME') ?? 'admin';
  if (!USERNAME_PATTERN.test(adminUsername))
    problems.push(
      `ADMIN_USERNAME must be 2-64 lower-case letters, digits, dot, dash or underscore (got "${adminUsername}")`,
    );
  const adminPassword = env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if (adminPassword !== undefined && adminPassword.length < MIN_PASSWORD_LENGTH)
    problems.push(`ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return {
    signingKey,
    accessTokenSeconds: integer('ACCESS_TOKEN_SECONDS', 900, 10, 86_400),
    refreshTokenSeconds: integer('REFRESH_TOKEN_SECONDS', 12 * 3600, 60, 30 * 86_400),
    adminUsername,
    adminPassword,
    loginMaxFailures: integer('LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginWindowSeconds: integer('LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
    secureCookies: flag('COOKIE_SECURE', tls),
  };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: never every client, so a forged X-Forwarded-For cannot pick its own address. */
function readHl7Options(
  text: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  problems: string[],
): VigilConfig['hl7'] {
  if (text('HL7_PORT') === undefined) return undefined;
  const port = integer('HL7_PORT', 2575, 0, 65535);
  const allowed = (text('HL7_ALLOWED_ADDRESSES') ?? '127.0.0.1,::1')
    .split(',')
    .map((entry) => entry.trim());
  if (!allowed.every(isAddressOrSubnet)) {
    problems.push(
      `HL7_ALLOWED_ADDRESSES must list addresses or subnets (10.0.0.5, 10.1.0.0/16); got "${allowed.join(',')}"`,
    );
  }
  return { port, allowedAddresses: allowed };
}

function readHl7OutOptions(
  text: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  flag: (name: string, fallback: boolean) => boolean,
  problems: string[],
): Hl7OutOptions | undefined {
  const host = text('HL7_OUT_HOST');
  if (host === undefined && text('HL7_OUT_PORT') === undefined) return undefined;
  if (host === undefined) problems.push('HL7_OUT_PORT needs HL7_OUT_HOST');
  if (text('HL7_OUT_PORT') === undefined) problems.push('HL7_OUT_HOST needs HL7_OUT_PORT');
  const port = integer('HL7_OUT_PORT', 0, 1, 65535);
  const wardIntervalsMs: Record<string, number> = {};
  for (const entry of (text('HL7_OUT_WARD_INTERVALS') ?? '').split(',').filter(Boolean)) {
    const [ward, seconds, ...rest] = entry.trim().split('=');
    const value = Number(seconds);
    if (!ward || rest.length > 0 || !Number.isInteger(value) || value < 1 || value > 3_600)
      problems.push(
        `HL7_OUT_WARD_INTERVALS must list ward=seconds (1 to 3600), e.g. icu=15,ward-3=300; got "${entry}"`,
      );
    else wardIntervalsMs[ward] = value * 1000;
  }
  const receiver = text('HL7_OUT_RECEIVER');
  const [application, facility, ...more] = (receiver ?? '').split('^');
  if (receiver !== undefined && (more.length > 0 || !application))
    problems.push(`HL7_OUT_RECEIVER must be application^facility (got "${receiver}")`);
  const caFile = text('HL7_OUT_CA_FILE');
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch {
      problems.push(`HL7_OUT_CA_FILE ${caFile} cannot be read`);
    }
  }
  return {
    host: host ?? '',
    port,
    ...(flag('HL7_OUT_TLS', false) && { tls: { ...(ca && { ca }) } }),
    intervalMs: integer('HL7_OUT_INTERVAL_SECONDS', 60, 1, 3_600) * 1000,
    wardIntervalsMs,
    graceMs: integer('HL7_OUT_GRACE_SECONDS', 10, 0, 300) * 1000,
    ackTimeoutMs: integer('HL7_OUT_ACK_TIMEOUT_SECONDS', 30, 1, 300) * 1000,
    retryMaxMs: integer('HL7_OUT_RETRY_MAX_SECONDS', 60, 1, 3_600) * 1000,
    alarmAfterMs: integer('HL7_OUT_ALARM_SECONDS', 600, 10, 86_400) * 1000,
    ...(receiver !== undefined && { receiver: { application, facility: facility ?? '' } }),
  };
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  return (
    family !== 0 &&
    rest.length === 0 &&
    (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))
  );
}

function readTrustProxy(raw: string | undefined, problems: string[]): VigilConfig['trustProxy'] {
  if (raw === undefined || raw === 'false') return false;
  if (/^\d{1,2}$/.test(raw) && Number(raw) >= 1) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  const valid = (entry: string) => PROXY_NAMES.includes(entry) || isAddressOrSubnet(entry);
  if (entries.every(valid)) return entries;
  problems.push(
    `TRUST_PROXY must be false, a hop count from 1, or the proxies' addresses or subnets (${PROXY_NAMES.join(', ')}, 10.0.0.5, 10.0.0.0/8); got "${raw}"`,
  );
  return false;
}

function readEncryptionKey(
  text: (name: string) => string | undefined,
  problems: string[],
): string | undefined {
  const key = text('DB_ENCRYPTION_KEY');
  const file = text('DB_ENCRYPTION_KEY_FILE');
  if (key && file) problems.push('DB_ENCRYPTION_KEY and DB_ENCRYPTION_KEY_FILE: set one, not both');
  let value = key;
  if (!key && file) {
    try {
      value = readFileSync(file, 'utf8').split('\n')[0].trim();
    } catch (error) {
      problems.push(`DB_ENCRYPTION_KEY_FILE cannot be read: ${(error as Error).message}`);
      return undefined;
    }
  }
  if (value !== undefined && value.length < 16)
    problems.push('the database encryption key must be at least 16 characters');
  return value;
}
