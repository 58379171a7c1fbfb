import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { CARE_ACCESS, type CareAccessPolicy } from './care-access.port';
import { CARE_GATEWAY_OPTIONS, CareGateway } from './care.gateway';

export interface GatewayModuleOptions {
  /** Modules exporting IngestService and the access policy; AlertsService is global. */
  readonly imports: ModuleMetadata['imports'];
  readonly access: Type<CareAccessPolicy>;
  /** Other nodes' consoles hear this one's events through Redis (ClusterIoAdapter). */
  readonly clustered?: boolean;
}

@Module({})
export class GatewayModule {
  static forRoot(options: GatewayModuleOptions): DynamicModule {
    return {
      module: GatewayModule,
      imports: options.imports,
      providers: [
        { provide: CARE_ACCESS, useExisting: options.access },
        { provide: CARE_GATEWAY_OPTIONS, useValue: { clustered: options.clustered ?? false } },
        CareGateway,
      ],
    };
  }
}
