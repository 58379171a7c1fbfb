import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { FhirAccessGuard } from './fhir-access';
import { FhirIdentities } from './fhir-identities';
import { FhirDiscoveryController } from './fhir-discovery.controller';
import { FhirController } from './fhir.controller';
import { ObservationListing } from './observation-listing';

/** The FHIR R4 read API at /fhir. */
@Module({})
export class FhirModule {
  /** `imports`: the modules exporting the registry, the stores, the audit trail and sign-in. */
  static forRoot(imports: ModuleMetadata['imports']): DynamicModule {
    return {
      module: FhirModule,
      imports,
      controllers: [FhirDiscoveryController, FhirController],
      providers: [FhirIdentities, ObservationListing, FhirAccessGuard],
    };
  }
}
