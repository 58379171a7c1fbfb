import { Module, type DynamicModule } from '@nestjs/common';
import { BrokerModule } from '@vigil/broker';
import type { VigilConfig } from '../config/vigil-config';
import { brokerOptions } from '../config/broker-options';
import { EventLoopMonitor } from '../operations/event-loop-monitor';
import { loggingModule } from '../operations/logging';
import { EdgeRelay } from './edge-relay';

@Module({ providers: [EdgeRelay], exports: [EdgeRelay] })
class EdgeRelayModule {}

/** An edge worker: the broker, answered by the owner through the relay. */
@Module({})
export class EdgeWorkerModule {
  static forRoot(config: VigilConfig): DynamicModule {
    return {
      module: EdgeWorkerModule,
      providers: [{ provide: EventLoopMonitor, useFactory: () => new EventLoopMonitor() }],
      imports: [
        loggingModule(config.log),
        BrokerModule.forRoot({
          options: brokerOptions(config),
          imports: [EdgeRelayModule],
          accessPolicy: EdgeRelay,
          messageHandler: EdgeRelay,
        }),
      ],
    };
  }
}
