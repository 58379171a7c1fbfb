import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import {
  seesWard,
  type Patient,
  type PatientSummary,
  type Stay,
  type UserView,
} from '@vigil/contracts';
import {
  AdmissionDto,
  CreatePatientDto,
  DischargeDto,
  PatientListQueryDto,
  TransferDto,
} from '@vigil/dto';
import { AlertsService } from '@vigil/alerts';
import { DeviceWatchService } from '@vigil/ingest';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { CurrentUser, PatientWard, Roles } from '../auth/access.decorators';
import { ObservationScheduleService } from '../observations/observation-schedule.service';
import { DeviceRegistry } from '../registry/device-registry';
import { PatientRegistry } from '../registry/patient-registry';
import { requireWardManager } from './stay-permissions';
import { StayService } from './stay.service';

@Controller('api/patients')
export class PatientsController {
  constructor(
    private readonly patients: PatientRegistry,
    private readonly devices: DeviceRegistry,
    private readonly stays: StayService,
    private readonly schedule: ObservationScheduleService,
    private readonly alerts: AlertsService,
    private readonly watch: DeviceWatchService,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
  ) {}

  /** A new patient, on her first stay. */
  @Post()
  @Roles('admin', 'charge-nurse')
  @HttpCode(201)
  admit(@Body() body: CreatePatientDto, @CurrentUser() user: UserView): Promise<Patient> {
    requireWardManager(user, body.ward);
    return this.stays.admit(body, user.username);
  }

  /**
   * The patients on the user's wards (every ward for administrators and auditors); `status`
   * `discharged` or `all` lists those discharged from them too.
   */
  @Get()
  async list(
    @CurrentUser() user: UserView,
    @Query() { ward, status = 'admitted' }: PatientListQueryDto,
  ): Promise<PatientSummary[]> {
    const patients = this.patients
      .list()
      .filter(
        (patient) =>
          (status === 'all' || patient.status === status) &&
          seesWard(user, patient.ward) &&
          (!ward || patient.ward === ward),
      );
    return Promise.all(patients.map((patient) => this.view(patient)));
  }

  @Get(':id')
  @PatientWard()
  async get(@Param('id') id: string): Promise<PatientSummary> {
    return this.view(this.patients.require(id));
  }

  /** Her stays, newest first, with the wards and beds each passed through. */
  @Get(':id/stays')
  @PatientWard()
  listStays(@Param('id') id: string): Promise<Stay[]> {
    return this.patients.stays(id);
  }

  /** A discharged patient back in: a new stay, on the ward given. */
  @Post(':id/admit')
  @Roles('admin', 'charge-nurse')
  @HttpCode(200)
  readmit(
    @Param('id') id: string,
    @Body() body: AdmissionDto,
    @CurrentUser() user: UserView,
  ): Promise<Patient> {
    this.patients.require(id);
    requireWardManager(user, body.ward);
    return this.stays.readmit(id, body, user.username);
  }

  /** To another ward or bed: she, her open alerts and her live tile move at once. */
  @Post(':id/transfer')
  @Roles('admin', 'charge-nurse')
  @PatientWard()
  @HttpCode(200)
  transfer(
    @Param('id') id: string,
    @Body() body: TransferDto,
    @CurrentUser() user: UserView,
  ): Promise<Patient> {
    requireWardManager(user, this.patients.requireAdmitted(id).ward);
    return this.stays.transfer(id, body, user.username);
  }

  /** Ends her stay: alerts resolved (`discharged`), devices unbound; 409 if already discharged. */
  @Post(':id/discharge')
  @Roles('admin', 'charge-nurse')
  @PatientWard()
  @HttpCode(200)
  discharge(
    @Param('id') id: string,
    @Body() body: DischargeDto,
    @CurrentUser() user: UserView,
  ): Promise<Patient> {
    requireWardManager(user, this.patients.requireAdmitted(id).ward);
    return this.stays.discharge(id, body.reason, user.username);
  }

  private async view(patient: Patient): Promise<PatientSummary> {
    // The ward view must load during a store outage; live vitals fill the tiles meanwhile.
    const latest = await this.store.latestSample(patient.id).catch(() => undefined);
    const due = this.schedule.dueOf(patient.id);
    const alarmPause = this.alerts.pauseOf(patient.id);
    const standby = this.alerts.standbyOf(patient.id);
    const deviceIds = this.devices.devicesOf(patient.id).map((device) => device.id);
    const lostDeviceIds = deviceIds.filter((deviceId) => this.watch.isLost(deviceId));
    return {
      ...patient,
      ...(alarmPause && { alarmPause }),
      ...(standby && { standby }),
      ...(due !== undefined && { nextObservationDue: new Date(due).toISOString() }),
      deviceIds,
      ...(lostDeviceIds.length > 0 && { lostDeviceIds }),
      latest: latest ? { ts: latest.ts, vitals: latest.vitals, battery: latest.battery } : null,
    };
  }
}
