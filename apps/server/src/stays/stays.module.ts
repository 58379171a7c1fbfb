import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { DevicesController } from './devices.controller';
import { PatientsController } from './patients.controller';
import { StayService } from './stay.service';

export interface StaysModuleOptions {
  /** Modules exporting the registries and ingest's evaluator and device watch. */
  readonly imports: ModuleMetadata['imports'];
}

/** Admission, transfer and discharge, and wearables put on and taken off patients. */
@Module({})
export class StaysModule {
  static forRoot(options: StaysModuleOptions): DynamicModule {
    return {
      module: StaysModule,
      imports: options.imports,
      controllers: [PatientsController, DevicesController],
      providers: [StayService],
      exports: [StayService],
    };
  }
}
