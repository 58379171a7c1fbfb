import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CreateDeviceDto, type Device } from '@vigil/contracts';
import { RegistryService } from './registry.service';

@Controller('api/devices')
export class DevicesController {
  constructor(private readonly registry: RegistryService) {}

  /** 201 with the device and its secret: the only time the secret is shown. */
  @Post()
  @HttpCode(201)
  async bind(@Body() body: CreateDeviceDto): Promise<Device & { secret: string }> {
    const { device, secret } = await this.registry.bindDevice(body);
    return { ...device, secret };
  }

  @Get()
  list(): Device[] {
    return this.registry.listDevices();
  }
}
