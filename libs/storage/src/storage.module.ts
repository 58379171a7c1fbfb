import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  openEmbeddedDatabase,
  type EmbeddedDatabase,
  type EmbeddedDatabaseOptions,
} from './embedded-database';
import { EmbeddedAlertStore } from './embedded-alert.store';
import { EmbeddedHistoryReader } from './embedded-history-reader';
import { EmbeddedWriter } from './embedded-writer';
import { InfluxConnection, quietInfluxClientLogs } from './influx/influx-connection';
import type { InfluxOptions } from './influx/influx-options';
import { InfluxTelemetryStore } from './influx/influx-telemetry.store';
import { ALERT_STORE } from './alert-store.port';
import { EmbeddedHl7MessageLog } from './embedded-hl7-message-log';
import { EmbeddedHl7Outbox } from './embedded-hl7-outbox';
import { EmbeddedObservationStore } from './embedded-observation.store';
import { OBSERVATION_STORE } from './observation-store.port';
import { EmbeddedNotificationStore } from './embedded-notification.store';
import { NOTIFICATION_STORE } from './notification-store.port';
import { HL7_MESSAGE_LOG } from './hl7-message-log.port';
import { HL7_OUTBOX } from './hl7-outbox.port';
import { REGISTRY_STORE } from './registry-store.port';
import { RULE_STATE_STORE } from './rule-state-store.port';
import { EmbeddedRuleStateStore } from './embedded-rule-state.store';
import { EmbeddedRegistryStore } from './embedded-registry.store';
import { EmbeddedTelemetryStore } from './embedded-telemetry.store';
import { EmbeddedUserStore } from './embedded-user.store';
import { USER_STORE } from './user-store.port';
import { TELEMETRY_STORE, type TelemetryStore } from './telemetry-store.port';
import {
  closeSharedStores,
  openSharedStores,
  type SharedStores,
  type SharedUse,
} from './postgres/shared-database';

export interface StorageOptions extends EmbeddedDatabaseOptions {
  /** Folder of the embedded database, or `:memory:`. */
  readonly dataDir: string;
  /**
   * PostgreSQL that nodes share: the registry, users, alerts, observations and notification
   * queues live there (and on a cluster, rule states); telemetry and the HL7 message log stay
   * local.
   */
  readonly databaseUrl?: string;
  /** How nodes use the shared database: one at a time (default), or as a cluster. */
  readonly sharedUse?: SharedUse;
  /** Telemetry goes to InfluxDB when present; the embedded store serves otherwise. */
  readonly influx?: InfluxOptions;
}

function openTelemetryStore(
  db: EmbeddedDatabase,
  writer: EmbeddedWriter,
  reader: EmbeddedHistoryReader,
  influx: InfluxOptions | undefined,
): TelemetryStore {
  if (!influx) return new EmbeddedTelemetryStore(db, writer, reader);
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
/** The shared stores, or null for the embedded ones. */
const SHARED_STORES = Symbol('SharedStores');
const EMBEDDED_WRITER = Symbol('EmbeddedWriter');
const EMBEDDED_READER = Symbol('EmbeddedHistoryReader');

/**
 * Closes in dependency order: the telemetry adapter, the writer (its last commits) and the
 * reader, the database, the shared database's connections.
 */
@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore,
    @Inject(EMBEDDED_WRITER) private readonly writer: EmbeddedWriter,
    @Inject(EMBEDDED_READER) private readonly reader: EmbeddedHistoryReader,
    @Inject(EMBEDDED_DATABASE) private readonly db: EmbeddedDatabase,
    @Inject(SHARED_STORES) private readonly shared: SharedStores | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.telemetry.close();
    await Promise.all([this.writer.close(), this.reader.close()]);
    this.db.close();
    if (this.shared) await closeSharedStores(this.shared);
  }
}

@Module({})
export class StorageModule {
  static forRoot(options: StorageOptions): DynamicModule {
    return {
      module: StorageModule,
      global: true,
      providers: [
        {
          provide: EMBEDDED_DATABASE,
          useFactory: () => openEmbeddedDatabase(options.dataDir, options),
        },
        {
          provide: SHARED_STORES,
          useFactory: () =>
            options.databaseUrl ? openSharedStores(options.databaseUrl, options.sharedUse) : null,
        },
        {
          provide: EMBEDDED_WRITER,
          useFactory: (db: EmbeddedDatabase) => new EmbeddedWriter(db, options),
          inject: [EMBEDDED_DATABASE],
        },
        {
          provide: EMBEDDED_READER,
          useFactory: (db: EmbeddedDatabase) => new EmbeddedHistoryReader(db, options),
          inject: [EMBEDDED_DATABASE],
        },
        {
          provide: TELEMETRY_STORE,
          useFactory: (
            db: EmbeddedDatabase,
            writer: EmbeddedWriter,
            reader: EmbeddedHistoryReader,
          ) => openTelemetryStore(db, writer, reader, options.influx),
          inject: [EMBEDDED_DATABASE, EMBEDDED_WRITER, EMBEDDED_READER],
        },
        {
          provide: ALERT_STORE,
          useFactory: (
            db: EmbeddedDatabase,
            writer: EmbeddedWriter,
            reader: EmbeddedHistoryReader,
            shared: SharedStores | null,
          ) => shared?.alerts ?? new EmbeddedAlertStore(db, writer, reader),
          inject: [EMBEDDED_DATABASE, EMBEDDED_WRITER, EMBEDDED_READER, SHARED_STORES],
        },
        {
          provide: REGISTRY_STORE,
          useFactory: (db: EmbeddedDatabase, shared: SharedStores | null) =>
            shared?.registry ?? new EmbeddedRegistryStore(db),
          inject: [EMBEDDED_DATABASE, SHARED_STORES],
        },
        {
          provide: OBSERVATION_STORE,
          useFactory: (db: EmbeddedDatabase, shared: SharedStores | null) =>
            shared?.observations ?? new EmbeddedObservationStore(db),
          inject: [EMBEDDED_DATABASE, SHARED_STORES],
        },
        {
          provide: NOTIFICATION_STORE,
          useFactory: (db: EmbeddedDatabase, shared: SharedStores | null) =>
            shared?.notifications ?? new EmbeddedNotificationStore(db),
          inject: [EMBEDDED_DATABASE, SHARED_STORES],
        },
        {
          provide: HL7_MESSAGE_LOG,
          useFactory: (db: EmbeddedDatabase) => new EmbeddedHl7MessageLog(db),
          inject: [EMBEDDED_DATABASE],
        },
        {
          provide: HL7_OUTBOX,
          useFactory: (db: EmbeddedDatabase, writer: EmbeddedWriter) =>
            new EmbeddedHl7Outbox(db, writer),
          inject: [EMBEDDED_DATABASE, EMBEDDED_WRITER],
        },
        {
          provide: USER_STORE,
          useFactory: (db: EmbeddedDatabase, shared: SharedStores | null) =>
            shared?.users ?? new EmbeddedUserStore(db),
          inject: [EMBEDDED_DATABASE, SHARED_STORES],
        },
        {
          provide: RULE_STATE_STORE,
          useFactory: (db: EmbeddedDatabase, writer: EmbeddedWriter, shared: SharedStores | null) =>
            shared?.ruleStates ?? new EmbeddedRuleStateStore(db, writer),
          inject: [EMBEDDED_DATABASE, EMBEDDED_WRITER, SHARED_STORES],
        },
        StorageLifecycle,
      ],
      exports: [
        TELEMETRY_STORE,
        ALERT_STORE,
        REGISTRY_STORE,
        RULE_STATE_STORE,
        USER_STORE,
        HL7_MESSAGE_LOG,
        HL7_OUTBOX,
        OBSERVATION_STORE,
        NOTIFICATION_STORE,
      ],
    };
  }
}
