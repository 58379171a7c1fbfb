import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { DeviceConnections } from '@vigil/broker';
import { EDGE_FLEET_OPTIONS, EdgeFleet, type EdgeFleetOptions } from './edge-fleet.service';

/** In place of the broker when edge workers hold the devices' connections (VIGIL_WORKERS > 1). */
@Module({})
export class EdgeFleetModule {
  static forRoot(
    options: EdgeFleetOptions & { readonly imports: ModuleMetadata['imports'] },
  ): DynamicModule {
    return {
      module: EdgeFleetModule,
      imports: options.imports,
      providers: [
        { provide: EDGE_FLEET_OPTIONS, useValue: { workers: options.workers } },
        EdgeFleet,
        { provide: DeviceConnections, useExisting: EdgeFleet },
      ],
      exports: [DeviceConnections],
    };
  }
}
