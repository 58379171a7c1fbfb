import { Module, type DynamicModule } from '@nestjs/common';
import { PatientHistoryController } from '../history/patient-history.controller';
import { AuditController } from './audit.controller';
import { DevicesController } from './devices.controller';
import { PatientsController } from './patients.controller';
import { REGISTRY_OPTIONS, RegistryService, type RegistryOptions } from './registry.service';

@Module({})
export class RegistryModule {
  static forRoot(options: RegistryOptions): DynamicModule {
    return {
      module: RegistryModule,
      controllers: [
        PatientsController,
        PatientHistoryController,
        DevicesController,
        AuditController,
      ],
      providers: [{ provide: REGISTRY_OPTIONS, useValue: options }, RegistryService],
      exports: [RegistryService],
    };
  }
}
