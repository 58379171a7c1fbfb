import {
  Module,
  type DynamicModule,
  type ModuleMetadata,
  type Provider,
  type Type,
} from '@nestjs/common';
import { AcknowledgementService } from './acknowledgement.service';
import { PATIENT_WARDS, type PatientWards } from './patient-wards.port';
import { ALERTS_OPTIONS, AlertsService, type AlertsOptions } from './alerts.service';
import { OwnsEveryPatient, PATIENT_OWNERSHIP } from './patient-ownership';

export interface AlertsModuleOptions {
  readonly escalation: AlertsOptions;
  /** Modules exporting the `patientWards` provider. */
  readonly imports?: ModuleMetadata['imports'];
  readonly patientWards: Type<PatientWards>;
  /** Provides PATIENT_OWNERSHIP: by default this process owns every patient. */
  readonly ownership?: Provider;
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
        options.ownership ?? { provide: PATIENT_OWNERSHIP, useClass: OwnsEveryPatient },
        AlertsService,
        AcknowledgementService,
      ],
      exports: [AlertsService, AcknowledgementService, PATIENT_OWNERSHIP],
    };
  }
}
