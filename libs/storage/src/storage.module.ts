import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { openEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { EmbeddedWriter } from './embedded-writer';
import { InfluxConnection, quietInfluxClientLogs } from './influx/influx-connection';
import type { InfluxOptions } from './influx/influx-options';
import { InfluxTelemetryStore } from './influx/influx-telemetry.store';
import { REGISTRY_STORE } from './registry-store.port';
import { RULE_STATE_STORE } from './rule-state-store.port';
import { SqliteRuleStateStore } from './sqlite-rule-state.store';
import { SqliteRegistryStore } from './sqlite-registry.store';
import { SqliteTelemetryStore } from './sqlite-telemetry.store';
import { SqliteUserStore } from './sqlite-user.store';
import { USER_STORE } from './user-store.port';
import { TELEMETRY_STORE, type TelemetryStore } from './telemetry-store.port';

export interface StorageOptions {
  /** Folder of the embedded database, or `:memory:`. */
  readonly dataDir: string;
  /** Telemetry goes to InfluxDB when present; the embedded store serves otherwise. */
  readonly influx?: InfluxOptions;
}

function openTelemetryStore(
  db: EmbeddedDatabase,
  writer: EmbeddedWriter,
  influx: InfluxOptions | undefined,
): TelemetryStore {
  if (!influx) return new SqliteTelemetryStore(db, writer);
  const logger = new Logger('InfluxTelemetryStore');
  quietInfluxClientLogs(logger);
  logger.log(`telemetry to InfluxDB (${influx.api}) at ${influx.url}, bucket ${influx.bucket}`);
  return new InfluxTelemetryStore(db, new InfluxConnection(influx), influx, {
    onOutage: (error) => logger.warn(`InfluxDB unreachable (${error.message}); spooling to disk`),
    onRecovered: (ms) =>
      logger.log(`InfluxDB back after ${Math.round(ms / 1000)} s; draining the spool`),
    onRejected: (lines, error) =>
      logger.error(`InfluxDB refused ${lines} line(s), kept in spool_rejected: ${error.message}`),
  });
}

const EMBEDDED_DATABASE = Symbol('EmbeddedDatabase');
const EMBEDDED_WRITER = Symbol('EmbeddedWriter');

/** Closes in dependency order: the telemetry adapter, the writer (its last commits), the database. */
@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore,
    @Inject(EMBEDDED_WRITER) private readonly writer: EmbeddedWriter,
    @Inject(EMBEDDED_DATABASE) private readonly db: EmbeddedDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.telemetry.close();
    await this.writer.close();
    this.db.close();
  }
}

@Module({})
export class StorageModule {
  static forRoot(options: StorageOptions): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      providers: [
        { provide: EMBEDDED_DATABASE, useFactory: () => openEmbeddedDatabase(options.dataDir) },
        {
          provide: EMBEDDED_WRITER,
          useFactory: (db: EmbeddedDatabase) => new EmbeddedWriter(db),
          inject: [EMBEDDED_DATABASE],
        },
        {
          provide: TELEMETRY_STORE,
          useFactory: (db: EmbeddedDatabase, writer: EmbeddedWriter) =>
            openTelemetryStore(db, writer, options.influx),
          inject: [EMBEDDED_DATABASE, EMBEDDED_WRITER],
        },
        {
          provide: REGISTRY_STORE,
          useFactory: (db: EmbeddedDatabase) => new SqliteRegistryStore(db),
          inject: [EMBEDDED_DATABASE],
        },
        {
          provide: USER_STORE,
          useFactory: (db: EmbeddedDatabase) => new SqliteUserStore(db),
          inject: [EMBEDDED_DATABASE],
        },
        {
          provide: RULE_STATE_STORE,
          useFactory: (db: EmbeddedDatabase, writer: EmbeddedWriter) =>
            new SqliteRuleStateStore(db, writer),
          inject: [EMBEDDED_DATABASE, EMBEDDED_WRITER],
        },
        StorageLifecycle,
      ],
      exports: [TELEMETRY_STORE, REGISTRY_STORE, RULE_STATE_STORE, USER_STORE],
    };
  }
}
