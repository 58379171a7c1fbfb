import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { seesWard, type Patient, type PatientSummary, type UserView } from '@vigil/contracts';
import { CreatePatientDto, PatientListQueryDto } from '@vigil/dto';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { CurrentUser, PatientWard, Roles } from '../auth/access.decorators';
import { DeviceRegistry } from './device-registry';
import { PatientRegistry } from './patient-registry';

@Controller('api/patients')
export class PatientsController {
  constructor(
    private readonly patients: PatientRegistry,
    private readonly devices: DeviceRegistry,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
  ) {}

  @Post()
  @Roles('admin')
  @HttpCode(201)
  admit(@Body() body: CreatePatientDto, @CurrentUser() user: UserView): Promise<Patient> {
    return this.patients.admit(body, user.username);
  }

  /** The patients of the user's wards (every ward for administrators and auditors). */
  @Get()
  async list(
    @CurrentUser() user: UserView,
    @Query() { ward }: PatientListQueryDto,
  ): Promise<PatientSummary[]> {
    const patients = this.patients
      .list()
      .filter((patient) => seesWard(user, patient.ward) && (!ward || patient.ward === ward));
    return Promise.all(patients.map((patient) => this.view(patient)));
  }

  @Get(':id')
  @PatientWard()
  async get(@Param('id') id: string): Promise<PatientSummary> {
    return this.view(this.patients.require(id));
  }

  private async view(patient: Patient): Promise<PatientSummary> {
    // The ward view must load during a store outage; live vitals fill the tiles meanwhile.
    const latest = await this.store.latestSample(patient.id).catch(() => undefined);
    return {
      ...patient,
      deviceIds: this.devices.devicesOf(patient.id).map((device) => device.id),
      latest: latest ? { ts: latest.ts, vitals: latest.vitals, battery: latest.battery } : null,
    };
  }
}
