import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { AcknowledgementService } from './acknowledgement.service';
import { PATIENT_WARDS, type PatientWards } from './patient-wards.port';
import { ALERTS_OPTIONS, AlertsService, type AlertsOptions } from './alerts.service';

export interface AlertsModuleOptions {
  readonly escalation: AlertsOptions;
  /** Modules exporting the `patientWards` provider. */
  readonly imports?: ModuleMetadata['imports'];
  readonly patientWards: Type<PatientWards>;
}

@Module({})
export class AlertsModule {
  static forRoot(options: AlertsModuleOptions): DynamicModule {
    return {
      module: AlertsModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: ALERTS_OPTIONS, useValue: options.escalation },
        { provide: PATIENT_WARDS, useExisting: options.patientWards },
        AlertsService,
        AcknowledgementService,
      ],
      exports: [AlertsService, AcknowledgementService],
    };
  }
}
