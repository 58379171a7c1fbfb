import { Module, type DynamicModule } from '@nestjs/common';
import type { ClusterOptions } from '../config/vigil-config';
import { ClusterOwnership } from './cluster-ownership';

/** This node's partitions of the patients, leased in the shared PostgreSQL. */
@Module({})
export class ClusterOwnershipModule {
  static forRoot(options: ClusterOptions, databaseUrl: string): DynamicModule {
    return {
      module: ClusterOwnershipModule,
      providers: [
        { provide: ClusterOwnership, useFactory: () => new ClusterOwnership(options, databaseUrl) },
      ],
      exports: [ClusterOwnership],
    };
  }
}
