import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { DeviceConnections } from '@vigil/broker';
import {
  CLUSTER_LINK_OPTIONS,
  ClusterLinks,
  type ClusterLinkOptions,
} from '../cluster/cluster-links';
import { EDGE_FLEET_OPTIONS, EdgeFleet, type EdgeFleetOptions } from './edge-fleet.service';

/**
 * In place of the broker when edge workers hold the devices' connections (VIGIL_WORKERS > 1, or
 * any node of a cluster: `links`, with ClusterOwnership among the imports).
 */
@Module({})
export class EdgeFleetModule {
  static forRoot(
    options: EdgeFleetOptions & {
      readonly imports: ModuleMetadata['imports'];
      readonly links?: ClusterLinkOptions;
    },
  ): DynamicModule {
    return {
      module: EdgeFleetModule,
      imports: options.imports,
      providers: [
        { provide: EDGE_FLEET_OPTIONS, useValue: { workers: options.workers } },
        ...(options.links
          ? [{ provide: CLUSTER_LINK_OPTIONS, useValue: options.links }, ClusterLinks]
          : []),
        EdgeFleet,
        { provide: DeviceConnections, useExisting: EdgeFleet },
      ],
      exports: [DeviceConnections],
    };
  }
}
