import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { AlertsModule } from '@vigil/alerts';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory.port';
import { IngestService } from './ingest.service';

export interface IngestModuleOptions {
  /** Modules that export the `deviceDirectory` provider. */
  readonly imports?: ModuleMetadata['imports'];
  readonly deviceDirectory: Type<DeviceDirectory>;
}

@Module({})
export class IngestModule {
  static forRoot(options: IngestModuleOptions): DynamicModule {
    return {
      module: IngestModule,
      imports: [AlertsModule, ...(options.imports ?? [])],
      providers: [
        IngestService,
        { provide: DEVICE_DIRECTORY, useExisting: options.deviceDirectory },
      ],
      exports: [IngestService, AlertsModule],
    };
  }
}
