import { Module, type DynamicModule } from '@nestjs/common';
import { PatientHistoryController } from '../history/patient-history.controller';
import { AuditTrail } from './audit-trail';
import { AuditController } from './audit.controller';
import { ClinicalSettings } from './clinical-settings';
import { DeviceRegistry } from './device-registry';
import { PatientRegistry } from './patient-registry';
import { PatientChanges } from './patient-changes';
import { REGISTRY_OPTIONS, RegistryLoader, type RegistryOptions } from './registry-loader';

/** Patients and their stays, devices, clinical settings, and the audit trail. */
@Module({})
export class RegistryModule {
  static forRoot(options: RegistryOptions): DynamicModule {
    return {
      module: RegistryModule,
      controllers: [PatientHistoryController, AuditController],
      providers: [
        { provide: REGISTRY_OPTIONS, useValue: options },
        PatientRegistry,
        DeviceRegistry,
        ClinicalSettings,
        AuditTrail,
        PatientChanges,
        RegistryLoader,
      ],
      exports: [PatientRegistry, DeviceRegistry, ClinicalSettings, AuditTrail, PatientChanges],
    };
  }
}
