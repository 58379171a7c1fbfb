import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { DeviceConnections } from '@vigil/broker';
import type { UserView } from '@vigil/contracts';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { DeviceRegistry } from './device-registry';

/**
 * Rotating or revoking a device's secret, which also disconnects the device at once. Here, in
 * the application, because it joins the registry and the broker.
 */
@Controller('api/devices/:id')
@Roles('admin')
export class DeviceSecretsController {
  constructor(
    private readonly devices: DeviceRegistry,
    private readonly broker: DeviceConnections,
  ) {}

  /** A new secret, shown once; the old one stops working and the device is disconnected. */
  @Post('secret')
  @HttpCode(200)
  async rotate(
    @Param('id') id: string,
    @CurrentUser() user: UserView,
  ): Promise<{ id: string; secret: string }> {
    const secret = await this.devices.rotateSecret(id, user.username);
    this.broker.disconnect(id);
    return { id, secret };
  }

  /** The device may no longer connect; it is disconnected now. */
  @Post('revoke')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @CurrentUser() user: UserView): Promise<void> {
    await this.devices.revokeSecret(id, user.username);
    this.broker.disconnect(id);
  }
}
