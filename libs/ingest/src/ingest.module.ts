import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { CLINICAL_PROFILES, type ClinicalProfiles } from './clinical-profiles.port';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory.port';
import { ClinicalEvaluator } from './clinical-evaluator';
import { TrendWatch } from './trend-watch';
import {
  DEVICE_WATCH_OPTIONS,
  DeviceWatchService,
  type DeviceWatchOptions,
} from './device-watch.service';
import { INGEST_OPTIONS, IngestService, type IngestOptions } from './ingest.service';

export interface IngestModuleOptions {
  /** Modules that export the `deviceDirectory` and `clinicalProfiles` providers. */
  readonly imports?: ModuleMetadata['imports'];
  readonly deviceDirectory: Type<DeviceDirectory>;
  readonly clinicalProfiles: Type<ClinicalProfiles>;
  readonly deviceWatch: DeviceWatchOptions;
  readonly ingest: IngestOptions;
}

@Module({})
export class IngestModule {
  static forRoot(options: IngestModuleOptions): DynamicModule {
    return {
      module: IngestModule,
      imports: options.imports ?? [],
      providers: [
        IngestService,
        ClinicalEvaluator,
        TrendWatch,
        DeviceWatchService,
        { provide: DEVICE_DIRECTORY, useExisting: options.deviceDirectory },
        { provide: CLINICAL_PROFILES, useExisting: options.clinicalProfiles },
        { provide: DEVICE_WATCH_OPTIONS, useValue: options.deviceWatch },
        { provide: INGEST_OPTIONS, useValue: options.ingest },
      ],
      exports: [IngestService, ClinicalEvaluator, TrendWatch, DeviceWatchService],
    };
  }
}
