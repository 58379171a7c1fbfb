import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { type Device, type UserView } from '@vigil/contracts';
import { CreateDeviceDto } from '@vigil/dto';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { DeviceRegistry } from './device-registry';

@Controller('api/devices')
export class DevicesController {
  constructor(private readonly devices: DeviceRegistry) {}

  /** 201 with the device and its secret: the only time the secret is shown. */
  @Post()
  @Roles('admin')
  @HttpCode(201)
  async bind(
    @Body() body: CreateDeviceDto,
    @CurrentUser() user: UserView,
  ): Promise<Device & { secret: string }> {
    const { device, secret } = await this.devices.bind(body, user.username);
    return { ...device, secret };
  }

  @Get()
  @Roles('admin', 'auditor')
  list(): Device[] {
    return this.devices.list();
  }
}
