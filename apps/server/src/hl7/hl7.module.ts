import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { AdtApplier } from './adt-applier';
import { HL7_OPTIONS, Hl7ListenerService, type Hl7Options } from './hl7-listener.service';

export interface Hl7ModuleOptions {
  readonly listener: Hl7Options;
  /** Modules exporting the patient registry and the stay service. */
  readonly imports: ModuleMetadata['imports'];
}

/** Patient movements from the hospital's PAS: HL7 v2 ADT over MLLP. */
@Module({})
export class Hl7Module {
  static forRoot(options: Hl7ModuleOptions): DynamicModule {
    return {
      module: Hl7Module,
      imports: options.imports,
      providers: [
        { provide: HL7_OPTIONS, useValue: options.listener },
        AdtApplier,
        Hl7ListenerService,
      ],
      exports: [Hl7ListenerService],
    };
  }
}
