import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CreateDeviceDto, type Device } from '@vigil/contracts';
import { RegistryService } from './registry.service';

@Controller('api/devices')
export class DevicesController {
  constructor(private readonly registry: RegistryService) {}

  @Post()
  @HttpCode(201)
  bind(@Body() body: CreateDeviceDto): Promise<Device> {
    return this.registry.bindDevice(body);
  }

  @Get()
  list(): Device[] {
    return this.registry.listDevices();
  }
}
