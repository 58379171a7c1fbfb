import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { openEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';
import { REGISTRY_STORE } from './registry-store.port';
import { SqliteRegistryStore } from './sqlite-registry.store';
import { SqliteTelemetryStore } from './sqlite-telemetry.store';
import { TELEMETRY_STORE, type TelemetryStore } from './telemetry-store.port';

export interface StorageOptions {
  /** Folder of the embedded database, or `:memory:`. */
  readonly dataDir: string;
}

const EMBEDDED_DATABASE = Symbol('EmbeddedDatabase');

@Injectable()
class StorageLifecycle implements OnApplicationShutdown {
  constructor(@Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.telemetry.close();
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
          provide: TELEMETRY_STORE,
          useFactory: (db: EmbeddedDatabase) => new SqliteTelemetryStore(db),
          inject: [EMBEDDED_DATABASE],
        },
        {
          provide: REGISTRY_STORE,
          useFactory: (db: EmbeddedDatabase) => new SqliteRegistryStore(db),
          inject: [EMBEDDED_DATABASE],
        },
        StorageLifecycle,
      ],
      exports: [TELEMETRY_STORE, REGISTRY_STORE],
    };
  }
}
