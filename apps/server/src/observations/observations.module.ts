import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { ObservationScheduleService } from './observation-schedule.service';
import { ObservationService } from './observation.service';
import { ObservationsController } from './observations.controller';

/** Nurses' observation sets, scored with the devices' data. */
@Module({})
export class ObservationsModule {
  static forRoot(options: { readonly imports: ModuleMetadata['imports'] }): DynamicModule {
    return {
      module: ObservationsModule,
      imports: options.imports,
      controllers: [ObservationsController],
      providers: [ObservationService, ObservationScheduleService],
      exports: [ObservationScheduleService, ObservationService],
    };
  }
}
