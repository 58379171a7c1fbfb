import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { EhrCharting } from './ehr-charting.service';
import { HL7_OUT_OPTIONS, type Hl7OutOptions } from './hl7-out-options';

/** Vital signs charted to the EHR: IHE PCD-01 ORU^R01 over MLLP, from a durable outbox. */
@Module({})
export class EhrChartingModule {
  /** `imports`: the module exporting the patient registry. */
  static forRoot(options: Hl7OutOptions, imports: ModuleMetadata['imports']): DynamicModule {
    return {
      module: EhrChartingModule,
      imports,
      providers: [{ provide: HL7_OUT_OPTIONS, useValue: options }, EhrCharting],
      exports: [EhrCharting],
    };
  }
}
