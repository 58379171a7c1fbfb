import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { PatientWards } from '@vigil/alerts';
import type { DeviceAccessPolicy } from '@vigil/broker';
import type { Device, Patient, ThresholdOverride } from '@vigil/contracts';
import type {
  CreateDeviceDto,
  CreatePatientDto,
  PatientThresholdsDto,
  SeedDeviceDto,
  UpdatePatientDto,
} from '@vigil/dto';
import type { ClinicalProfile, DeviceBinding, DeviceDirectory } from '@vigil/ingest';
import { DEFAULT_RULES, withOverrides } from '@vigil/rules';
import {
  REGISTRY_STORE,
  auditEntry,
  type AuditQuery,
  type DeviceRecord,
  type RegistryStore,
  type StoredAuditEntry,
} from '@vigil/storage';
import {
  fingerprint,
  hashGeneratedSecret,
  hashSecret,
  newSecret,
  verifySecret,
} from '../security/secret-hash';
import { DeviceNotFoundError, PatientNotFoundError, UnknownPatientError } from './registry.errors';
import { readSeedFile } from './seed-file';

export const REGISTRY_OPTIONS = Symbol('RegistryOptions');

/** Checked against when a device is unknown or revoked, so that a miss does a device's work too. */
const DECOY_DEVICE_HASH = hashGeneratedSecret(newSecret());

export interface RegistryOptions {
  readonly seedFile?: string;
}

/**
 * Patients and the devices bound to them. Kept in memory as well as in the store, because the
 * broker asks on every CONNECT and ingest on every message.
 */
@Injectable()
export class RegistryService
  implements DeviceDirectory, DeviceAccessPolicy, PatientWards, OnModuleInit
{
  private readonly logger = new Logger(RegistryService.name);
  private readonly patients = new Map<string, Patient>();
  private readonly devices = new Map<string, DeviceRecord>();
  /** SHA-256 of each device's last verified secret, so a reconnect skips scrypt. */
  private readonly verified = new Map<string, string>();
  private readonly overrides = new Map<string, ThresholdOverride[]>();
  private readonly profiles = new Map<string, ClinicalProfile>();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const patient of await this.store.listPatients()) this.patients.set(patient.id, patient);
    for (const device of await this.store.listDevices()) this.devices.set(device.id, device);
    for (const [patientId, rules] of await this.store.listThresholdOverrides())
      this.overrides.set(patientId, rules);
    if (this.options.seedFile) await this.applySeed(this.options.seedFile);
  }

  bindingOf(deviceId: string): DeviceBinding | undefined {
    const device = this.devices.get(deviceId);
    const patient = device && this.patients.get(device.patientId);
    return patient && { patientId: patient.id, ward: patient.ward };
  }

  boundDeviceIds(): Iterable<string> {
    return this.devices.keys();
  }

  profileOf(patientId: string): ClinicalProfile {
    let profile = this.profiles.get(patientId);
    if (!profile) {
      const overrides = (this.overrides.get(patientId) ?? []).map((rule) => ({
        ...rule,
        source: `per-patient override for ${patientId}`,
      }));
      profile = {
        spo2Scale: this.patients.get(patientId)?.spo2Scale ?? 1,
        rules: withOverrides(DEFAULT_RULES, overrides),
      };
      this.profiles.set(patientId, profile);
    }
    return profile;
  }

  thresholdOverridesOf(patientId: string): ThresholdOverride[] {
    return this.overrides.get(patientId) ?? [];
  }

  async updatePatient(patientId: string, change: UpdatePatientDto, by: string): Promise<Patient> {
    const patient = this.requirePatient(patientId);
    await this.store.setSpo2Scale(
      patientId,
      change.spo2Scale,
      auditEntry(by, 'patient.spo2-scale', patientId, patient.spo2Scale, change.spo2Scale),
    );
    const updated = { ...patient, spo2Scale: change.spo2Scale };
    this.patients.set(patientId, updated);
    this.profiles.delete(patientId);
    return updated;
  }

  async setThresholds(
    patientId: string,
    change: PatientThresholdsDto,
    by: string,
  ): Promise<ThresholdOverride[]> {
    this.requirePatient(patientId);
    const old = this.thresholdOverridesOf(patientId);
    const audit = auditEntry(
      by,
      'patient.thresholds',
      patientId,
      old,
      change.thresholds,
      change.reason,
    );
    await this.store.setThresholdOverrides(patientId, change.thresholds, audit);
    this.overrides.set(patientId, change.thresholds);
    this.profiles.delete(patientId);
    return change.thresholds;
  }

  auditTrail(query: AuditQuery): Promise<StoredAuditEntry[]> {
    return this.store.listAudit(query);
  }

  /** Records a read of patient data (a history export) in the audit trail. */
  recordExport(patientId: string, by: string, what: unknown): Promise<void> {
    return this.store.recordAudit(
      auditEntry(by, 'patient.vitals-exported', patientId, undefined, what),
    );
  }

  private requirePatient(patientId: string): Patient {
    const patient = this.patients.get(patientId);
    if (!patient) throw new PatientNotFoundError(patientId);
    return patient;
  }

  async verifyDevice(deviceId: string, password: Buffer | undefined): Promise<boolean> {
    const hash = this.devices.get(deviceId)?.secretHash;
    const secret = password?.toString('utf8') ?? '';
    if (!hash) return verifySecret(secret, DECOY_DEVICE_HASH).then(() => false);
    const print = fingerprint(secret);
    if (this.verified.get(deviceId) === print) return true;
    const valid = await verifySecret(secret, hash);
    if (valid) this.verified.set(deviceId, print);
    return valid;
  }

  acceptsCertificate(deviceId: string): boolean {
    return Boolean(this.devices.get(deviceId)?.secretHash);
  }

  /** Issues a new secret; the old one stops working at once. Returns the secret, shown once. */
  async rotateSecret(deviceId: string, by: string): Promise<string> {
    const secret = newSecret();
    await this.replaceSecret(deviceId, hashGeneratedSecret(secret), by, 'device.secret-rotated');
    return secret;
  }

  async revokeSecret(deviceId: string, by: string): Promise<void> {
    await this.replaceSecret(deviceId, null, by, 'device.secret-revoked');
  }

  private async replaceSecret(
    deviceId: string,
    secretHash: string | null,
    by: string,
    action: string,
  ): Promise<void> {
    const device = this.devices.get(deviceId);
    if (!device) throw new DeviceNotFoundError(deviceId);
    await this.store.setDeviceSecret(
      deviceId,
      secretHash,
      auditEntry(by, action, deviceId, undefined, undefined),
    );
    this.devices.set(deviceId, { ...device, secretHash });
    this.verified.delete(deviceId);
    this.logger.log(`${action}: device ${deviceId} by ${by}`);
  }

  listPatients(): Patient[] {
    return [...this.patients.values()];
  }

  findPatient(patientId: string): Patient | undefined {
    return this.patients.get(patientId);
  }

  wardOf(patientId: string): string | undefined {
    return this.patients.get(patientId)?.ward;
  }

  listDevices(): Device[] {
    return [...this.devices.values()].map(({ secretHash: _hash, ...device }) => device);
  }

  devicesOf(patientId: string): Device[] {
    return this.listDevices().filter((device) => device.patientId === patientId);
  }

  async admitPatient(dto: CreatePatientDto, by: string): Promise<Patient> {
    const patient: Patient = {
      id: dto.id,
      name: dto.name,
      ward: dto.ward,
      admittedAt: new Date().toISOString(),
      spo2Scale: 1,
    };
    await this.store.addPatient(
      patient,
      auditEntry(by, 'patient.admitted', patient.id, undefined, { ward: patient.ward }),
    );
    this.patients.set(patient.id, patient);
    this.logger.log(`admitted patient ${patient.id} to ward ${patient.ward}`);
    return patient;
  }

  /** Binds a device and issues its secret (or takes the one a seed file gives); the secret is returned once. */
  async bindDevice(
    dto: CreateDeviceDto & Pick<SeedDeviceDto, 'secret'>,
    by: string,
  ): Promise<{ device: Device; secret: string }> {
    if (!this.patients.has(dto.patientId)) throw new UnknownPatientError(dto.patientId);
    const secret = dto.secret ?? newSecret();
    // A secret a person wrote in a seed file gets the slow hash; a generated one need not.
    const secretHash = dto.secret ? await hashSecret(secret) : hashGeneratedSecret(secret);
    const device: Device = {
      id: dto.id,
      patientId: dto.patientId,
      boundAt: new Date().toISOString(),
    };
    const record: DeviceRecord = { ...device, secretHash };
    await this.store.addDevice(
      record,
      auditEntry(by, 'device.bound', device.id, undefined, device.patientId),
    );
    this.devices.set(device.id, record);
    this.logger.log(`bound device ${device.id} to patient ${device.patientId}`);
    return { device, secret };
  }

  /** Admits and binds what the seed file lists and is not known yet; a restart re-reads it harmlessly. */
  private async applySeed(file: string): Promise<void> {
    const seed = await readSeedFile(file);
    const patients = seed.patients.filter((patient) => !this.patients.has(patient.id));
    const devices = seed.devices.filter((device) => !this.devices.has(device.id));
    for (const patient of patients) await this.admitPatient(patient, 'seed file');
    for (const device of devices) await this.bindDevice(device, 'seed file');
    this.logger.log(
      `seed file: ${patients.length} patients admitted, ${devices.length} devices bound`,
    );
  }
}
