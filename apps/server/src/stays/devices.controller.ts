import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  WARD_SCOPED_ROLES,
  seesWard,
  type Device,
  type DeviceBindingPeriod,
  type UserView,
} from '@vigil/contracts';
import { DeviceConnections } from '@vigil/broker';
import { BindDeviceDto, CreateDeviceDto } from '@vigil/dto';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { DeviceRegistry } from '../registry/device-registry';
import { PatientRegistry } from '../registry/patient-registry';
import { requireWardManager } from './stay-permissions';
import { StayService } from './stay.service';

@Controller('api/devices')
export class DevicesController {
  constructor(
    private readonly devices: DeviceRegistry,
    private readonly patients: PatientRegistry,
    private readonly stays: StayService,
    private readonly broker: DeviceConnections,
  ) {}

  /** 201 with the device and its secret: the only time the secret is shown. */
  @Post()
  @Roles('admin')
  @HttpCode(201)
  async register(
    @Body() body: CreateDeviceDto,
    @CurrentUser() user: UserView,
  ): Promise<Device & { secret: string }> {
    const { device, secret } = await this.stays.registerDevice(body, user.username);
    return { ...device, secret };
  }

  /** Every device for administrators and auditors; for a charge nurse, those available or on her wards. */
  @Get()
  @Roles('admin', 'auditor', 'charge-nurse')
  list(@CurrentUser() user: UserView): Device[] {
    return this.devices.list().filter((device) => this.visible(user, device.patientId));
  }

  /** Who wore it, from when to when, newest first. */
  @Get(':id/history')
  @Roles('admin', 'auditor', 'charge-nurse')
  async history(
    @Param('id') id: string,
    @CurrentUser() user: UserView,
  ): Promise<DeviceBindingPeriod[]> {
    const periods = await this.devices.history(id);
    return periods.filter((period) => this.visible(user, period.patientId));
  }

  /**
   * Puts an available device on an admitted patient; with `rotateSecret`, a new secret (shown
   * once), and the device, if connected with the old one, is disconnected.
   */
  @Post(':id/bind')
  @Roles('admin', 'charge-nurse')
  @HttpCode(200)
  async bind(
    @Param('id') id: string,
    @Body() body: BindDeviceDto,
    @CurrentUser() user: UserView,
  ): Promise<Device & { secret?: string }> {
    this.devices.require(id);
    requireWardManager(user, this.patients.requireAdmitted(body.patientId).ward);
    const { patientId, ...options } = body;
    const { device, secret } = await this.stays.bindDevice(id, patientId, options, user.username);
    // A connection made with the old secret ends with it, as on any rotation.
    if (secret) this.broker.disconnect(id);
    return { ...device, ...(secret && { secret }) };
  }

  /** Takes a device off its patient: it is available for the next one. */
  @Post(':id/unbind')
  @Roles('admin', 'charge-nurse')
  @HttpCode(200)
  unbind(@Param('id') id: string, @CurrentUser() user: UserView): Promise<Device> {
    const { patientId } = this.devices.require(id);
    if (patientId) requireWardManager(user, this.patients.require(patientId).ward);
    return this.stays.unbindDevice(id, user.username);
  }

  /** A device on a patient of a ward the user does not see is not hers to see. */
  private visible(user: UserView, patientId: string | null): boolean {
    if (!WARD_SCOPED_ROLES.includes(user.role) || patientId === null) return true;
    return seesWard(user, this.patients.find(patientId)?.ward);
  }
}
