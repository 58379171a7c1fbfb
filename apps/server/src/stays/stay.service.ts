import { Injectable } from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import type { AlertWithdrawalReason, Device, Patient, StayEndReason } from '@vigil/contracts';
import type { AdmissionDto, CreatePatientDto, PlaceDto, SeedDeviceDto } from '@vigil/dto';
import { ClinicalEvaluator, DeviceWatchService } from '@vigil/ingest';
import { DeviceRegistry } from '../registry/device-registry';
import { PatientChanges, type PatientChange } from '../registry/patient-changes';
import { PatientRegistry, type Demographics } from '../registry/patient-registry';
import { RegistryConflictError } from '../registry/registry.errors';

/**
 * A patient's stay from admission to discharge, and the wearables put on and taken off her:
 * each change is stored, its consequences settled (alerts, technical alarms, the rules' memory)
 * and then announced to the consoles. The HTTP routes and the HL7 ADT listener both come here.
 * Changes run one at a time, so two that race (a nurse and the PAS) see each other's result.
 */
@Injectable()
export class StayService {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly patients: PatientRegistry,
    private readonly devices: DeviceRegistry,
    private readonly alerts: AlertsService,
    private readonly evaluator: ClinicalEvaluator,
    private readonly watch: DeviceWatchService,
    private readonly changes: PatientChanges,
  ) {}

  admit(details: CreatePatientDto, by: string): Promise<Patient> {
    return this.serially(async () => {
      const patient = await this.patients.admit(details, by);
      this.announce('admitted', patient);
      return patient;
    });
  }

  readmit(patientId: string, admission: AdmissionDto, by: string): Promise<Patient> {
    return this.serially(async () => {
      const patient = await this.patients.readmit(patientId, admission, by);
      this.announce('admitted', patient);
      return patient;
    });
  }

  /** Her open alerts and live tile go with her: the gateway routes by the ward she is on now. */
  transfer(patientId: string, place: PlaceDto, by: string): Promise<Patient> {
    return this.serially(async () => {
      const before = this.patients.requireAdmitted(patientId);
      const patient = await this.patients.transfer(patientId, place, by);
      this.announce('transferred', patient, before.ward);
      return patient;
    });
  }

  /** Back to where she was before her last transfer (HL7 A12). */
  cancelTransfer(patientId: string, by: string): Promise<Patient> {
    return this.serially(async () => {
      const before = this.patients.requireAdmitted(patientId);
      const [stay] = await this.patients.stays(patientId);
      const previous = stay?.locations.at(-2);
      if (!stay || stay.id !== before.stayId || !previous)
        throw new RegistryConflictError(
          'PATIENT.NO_MOVE',
          `patient ${patientId} has no transfer to cancel`,
        );
      const patient = await this.patients.undoTransfer(patientId, previous, by);
      if (patient.ward !== before.ward) this.announce('transferred', patient, before.ward);
      else this.announce('updated', patient);
      return patient;
    });
  }

  /**
   * Ends her stay. Her open alerts are resolved first, while she is still on her ward, so its
   * consoles hear of it; then her devices come off, the rules forget her, and the stay ends.
   */
  discharge(
    patientId: string,
    note: string | undefined,
    by: string,
    reason: Extract<StayEndReason, 'discharged' | 'admission-cancelled'> = 'discharged',
  ): Promise<Patient> {
    return this.serially(async () => {
      this.patients.requireAdmitted(patientId);
      await this.alerts.withdraw(patientId, reason);
      for (const device of this.devices.devicesOf(patientId))
        await this.takeOff(device.id, by, reason);
      await this.forgetStay(patientId);
      const patient = await this.patients.endStay(patientId, reason, note, by);
      this.announce(reason, patient);
      return patient;
    });
  }

  /** A discharge entered in error (HL7 A13): her stay goes on where it ended; devices stay off. */
  cancelDischarge(patientId: string, by: string): Promise<Patient> {
    return this.serially(async () => {
      const patient = await this.patients.reopenStay(patientId, by);
      this.announce('admitted', patient);
      return patient;
    });
  }

  updateDemographics(patientId: string, changes: Demographics, by: string): Promise<Patient> {
    return this.serially(async () => {
      const patient = await this.patients.updateDemographics(patientId, changes, by);
      if (patient.status === 'admitted') this.announce('updated', patient);
      return patient;
    });
  }

  /** Puts an available wearable on an admitted patient; its silence is watched from now. */
  bindDevice(
    deviceId: string,
    patientId: string,
    options: { rotateSecret?: boolean; since?: string },
    by: string,
  ): Promise<{ device: Device; secret?: string }> {
    return this.serially(async () => {
      const bound = await this.devices.bind(deviceId, patientId, options, by);
      this.watch.deviceBound(deviceId);
      this.announce('updated', this.patients.require(patientId));
      return bound;
    });
  }

  /** Takes a wearable off its patient; its technical alarms on her are withdrawn. */
  unbindDevice(deviceId: string, by: string): Promise<Device> {
    return this.serially(async () => {
      const patientId = await this.takeOff(deviceId, by, 'device-unbound');
      this.announce('updated', this.patients.require(patientId));
      return this.devices.require(deviceId);
    });
  }

  /** Registers a wearable, on a patient when one is named; the secret is returned once. */
  registerDevice(details: SeedDeviceDto, by: string): Promise<{ device: Device; secret: string }> {
    return this.serially(async () => {
      const registered = await this.devices.register(details, by);
      if (registered.device.patientId) {
        this.watch.deviceBound(details.id);
        this.announce('updated', this.patients.require(registered.device.patientId));
      }
      return registered;
    });
  }

  /**
   * On a cluster, another node ended the stay of a patient this node acts for: her open alerts
   * are resolved and what the rules, a pause or a standby held of her ends.
   */
  async stayEndedElsewhere(patientId: string, reason: AlertWithdrawalReason): Promise<void> {
    await this.alerts.withdraw(patientId, reason);
    await this.forgetStay(patientId);
  }

  /** A wearable came off her (here, or on another node): its watch and technical alarms end. */
  async deviceTakenOff(
    deviceId: string,
    patientId: string,
    reason: AlertWithdrawalReason,
  ): Promise<void> {
    this.watch.deviceUnbound(deviceId);
    await this.alerts.withdraw(
      patientId,
      reason,
      (alert) => alert.category === 'technical' && alert.deviceId === deviceId,
    );
  }

  /** A wearable was put on her on another node: its silence is watched from now. */
  deviceBoundElsewhere(deviceId: string): void {
    this.watch.deviceBound(deviceId);
  }

  private async forgetStay(patientId: string): Promise<void> {
    await this.evaluator.forget(patientId);
    // Nothing is left for a pause or a standby to hold back: they end with the stay.
    this.alerts.resume(patientId);
    this.alerts.endStandby(patientId);
  }

  private async takeOff(
    deviceId: string,
    by: string,
    reason: AlertWithdrawalReason,
  ): Promise<string> {
    const patientId = await this.devices.unbind(deviceId, by, reason);
    await this.deviceTakenOff(deviceId, patientId, reason);
    return patientId;
  }

  private announce(kind: PatientChange['kind'], patient: Patient, fromWard?: string): void {
    const deviceIds = this.devices.devicesOf(patient.id).map((device) => device.id);
    this.changes.announce({ kind, patient, deviceIds, ...(fromWard && { fromWard }) });
  }

  private serially<T>(change: () => Promise<T>): Promise<T> {
    const result = this.tail.then(change);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
