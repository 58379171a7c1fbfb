import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { CareGateway } from './care.gateway';

@Module({})
export class GatewayModule {
  /** `imports` must export IngestService; AlertsService comes from the global AlertsModule. */
  static forRoot(imports: ModuleMetadata['imports']): DynamicModule {
    return { module: GatewayModule, imports, providers: [CareGateway] };
  }
}
