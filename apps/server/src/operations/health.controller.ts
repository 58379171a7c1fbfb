import { Public } from '../auth/access.decorators';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { DeviceConnections } from '@vigil/broker';
import { TELEMETRY_STORE, type StoreHealth, type TelemetryStore } from '@vigil/storage';
import type { Response } from 'express';

export interface HealthReport {
  readonly status: 'ok' | 'degraded' | 'down';
  readonly broker: { readonly status: 'up' | 'down'; readonly connectedDevices: number };
  readonly store: StoreHealth;
}

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly broker: DeviceConnections,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
  ) {}

  /** 200 while the broker listens and the store accepts writes (even degraded); 503 otherwise. */
  @Get()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const store = await this.store.health();
    const brokerUp = this.broker.isUp;
    const status =
      !brokerUp || store.status === 'down'
        ? 'down'
        : store.status === 'degraded'
          ? 'degraded'
          : 'ok';
    response.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return {
      status,
      broker: { status: brokerUp ? 'up' : 'down', connectedDevices: this.broker.connectedDevices },
      store,
    };
  }
}
