import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeviceAccessPolicy } from '@vigil/broker';
import type { Device } from '@vigil/contracts';
import type { CreateDeviceDto, SeedDeviceDto } from '@vigil/dto';
import type { DeviceBinding, DeviceDirectory } from '@vigil/ingest';
import { REGISTRY_STORE, auditEntry, type DeviceRecord, type RegistryStore } from '@vigil/storage';
import {
  fingerprint,
  hashGeneratedSecret,
  hashSecret,
  newSecret,
  verifySecret,
} from '../security/secret-hash';
import { PatientRegistry } from './patient-registry';
import { DeviceNotFoundError, UnknownPatientError } from './registry.errors';

/** Checked against when a device is unknown or revoked, so that a miss does a device's work too. */
const DECOY_DEVICE_HASH = hashGeneratedSecret(newSecret());

/**
 * The wearables bound to patients and their secrets: the broker asks on every CONNECT, ingest on
 * every message, so they are kept in memory as well as in the store.
 */
@Injectable()
export class DeviceRegistry implements DeviceDirectory, DeviceAccessPolicy {
  private readonly logger = new Logger(DeviceRegistry.name);
  private readonly devices = new Map<string, DeviceRecord>();
  /** SHA-256 of each device's last verified secret, so a reconnect skips the slow hash. */
  private readonly verified = new Map<string, string>();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly patients: PatientRegistry,
  ) {}

  async load(): Promise<void> {
    for (const device of await this.store.listDevices()) this.devices.set(device.id, device);
  }

  has(deviceId: string): boolean {
    return this.devices.has(deviceId);
  }

  list(): Device[] {
    return [...this.devices.values()].map(({ secretHash: _hash, ...device }) => device);
  }

  devicesOf(patientId: string): Device[] {
    return this.list().filter((device) => device.patientId === patientId);
  }

  bindingOf(deviceId: string): DeviceBinding | undefined {
    const device = this.devices.get(deviceId);
    const patient = device && this.patients.find(device.patientId);
    return patient && { patientId: patient.id, ward: patient.ward };
  }

  boundDeviceIds(): Iterable<string> {
    return this.devices.keys();
  }

  /** Binds a device and issues its secret (or takes the one a seed file gives); the secret is returned once. */
  async bind(
    dto: CreateDeviceDto & Pick<SeedDeviceDto, 'secret'>,
    by: string,
  ): Promise<{ device: Device; secret: string }> {
    if (!this.patients.find(dto.patientId)) throw new UnknownPatientError(dto.patientId);
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
}
