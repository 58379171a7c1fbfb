import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeviceAccessPolicy } from '@vigil/broker';
import {
  INSTANT_PROBLEM,
  parseInstant,
  type Device,
  type DeviceBindingPeriod,
  type DeviceState,
} from '@vigil/contracts';
import type { SeedDeviceDto } from '@vigil/dto';
import { MAX_SAMPLE_AGE_MS, type DeviceBinding, type DeviceDirectory } from '@vigil/ingest';
import { REGISTRY_STORE, auditEntry, type DeviceRecord, type RegistryStore } from '@vigil/storage';
import {
  fingerprint,
  hashGeneratedSecret,
  hashSecret,
  newSecret,
  verifySecret,
} from '../security/secret-hash';
import { PatientRegistry } from './patient-registry';
import {
  BindingTimeError,
  DeviceNotFoundError,
  RegistryConflictError,
  UnknownPatientError,
} from './registry.errors';

/** Checked against when a device is unknown or revoked, so that a miss does a device's work too. */
const DECOY_DEVICE_HASH = hashGeneratedSecret(newSecret());

/** How long before its binding a wearable may be said to have been put on the patient. */
export const MAX_WORN_BEFORE_BINDING_MS = 24 * 3_600_000;

/** A past binding, as ingest needs it to attribute a late sample: epoch ms, `to` exclusive. */
interface PastBinding {
  readonly patientId: string;
  readonly from: number;
  readonly to: number;
}

/** A device whose wearer changed: `from` wore it before, `to` wears it now (null: nobody). */
export interface DeviceRebound {
  readonly deviceId: string;
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * The wearables, their secrets and who wears them. The broker asks on every CONNECT, ingest on
 * every message, so they are kept in memory as well as in the store, with each device's bindings
 * of the last MAX_SAMPLE_AGE_MS: a sample as old as ingest accepts still finds its patient.
 */
@Injectable()
export class DeviceRegistry implements DeviceDirectory, DeviceAccessPolicy {
  private readonly logger = new Logger(DeviceRegistry.name);
  private readonly devices = new Map<string, DeviceRecord & { readonly boundFrom?: number }>();
  private readonly pastBindings = new Map<string, PastBinding[]>();
  /** Devices worn now, for the no-data watch (iterated twice a second). */
  private readonly worn = new Set<string>();
  /** SHA-256 of each device's last verified secret, so a reconnect skips the slow hash. */
  private readonly verified = new Map<string, string>();

  constructor(
    @Inject(REGISTRY_STORE) private readonly store: RegistryStore,
    private readonly patients: PatientRegistry,
  ) {}

  async load(now = Date.now()): Promise<void> {
    for (const device of await this.store.listDevices()) this.remember(device);
    const endedAfter = new Date(now - MAX_SAMPLE_AGE_MS).toISOString();
    for (const period of await this.store.listBindings({ endedAfter })) {
      if (period.to !== null) this.rememberPast(period.deviceId, period);
    }
  }

  /**
   * Reads the devices again (another node changed some): returns those whose secret changed,
   * whose connections must close, and those whose wearer changed, with who wore them before.
   */
  async reload(): Promise<{ secretChanged: string[]; rebound: DeviceRebound[] }> {
    const before = new Map(this.devices);
    await this.load();
    const secretChanged: string[] = [];
    const rebound: DeviceRebound[] = [];
    for (const [deviceId, device] of this.devices) {
      const earlier = before.get(deviceId);
      if (earlier && earlier.secretHash !== device.secretHash) {
        this.verified.delete(deviceId);
        secretChanged.push(deviceId);
      }
      if (earlier?.patientId !== device.patientId || earlier?.boundAt !== device.boundAt)
        rebound.push({ deviceId, from: earlier?.patientId ?? null, to: device.patientId });
    }
    return { secretChanged, rebound };
  }

  has(deviceId: string): boolean {
    return this.devices.has(deviceId);
  }

  list(): Device[] {
    return [...this.devices.values()].map(viewOf);
  }

  /** @throws DeviceNotFoundError */
  require(deviceId: string): Device {
    const device = this.devices.get(deviceId);
    if (!device) throw new DeviceNotFoundError(deviceId);
    return viewOf(device);
  }

  devicesOf(patientId: string): Device[] {
    return this.list().filter((device) => device.patientId === patientId);
  }

  /** The device's bindings, newest first. */
  async history(deviceId: string): Promise<DeviceBindingPeriod[]> {
    this.require(deviceId);
    return this.store.listBindings({ deviceId });
  }

  bindingOf(deviceId: string): DeviceBinding | undefined {
    const device = this.devices.get(deviceId);
    const ward = device?.patientId ? this.patients.wardOf(device.patientId) : undefined;
    if (!device?.patientId || ward === undefined || device.boundFrom === undefined)
      return undefined;
    return { patientId: device.patientId, ward, current: true, from: device.boundFrom };
  }

  bindingAt(deviceId: string, ts: number): DeviceBinding | undefined {
    const device = this.devices.get(deviceId);
    if (device?.boundFrom !== undefined && ts >= device.boundFrom) return this.bindingOf(deviceId);
    const past = this.pastBindings.get(deviceId)?.find((b) => ts >= b.from && ts < b.to);
    const patient = past && this.patients.find(past.patientId);
    return (
      patient && {
        patientId: patient.id,
        ward: patient.ward,
        current: false,
        from: past.from,
        to: past.to,
      }
    );
  }

  boundDeviceIds(): Iterable<string> {
    return this.worn;
  }

  /**
   * Registers a device, on a patient when one is named, and issues its secret (or takes the one
   * a seed file gives); the secret is returned once.
   */
  async register(dto: SeedDeviceDto, by: string): Promise<{ device: Device; secret: string }> {
    if (dto.patientId !== undefined) this.requireAdmittedPatient(dto.patientId);
    const at = new Date().toISOString();
    const boundAt = dto.patientId === undefined ? null : this.wornSince(dto.id, dto.since, at);
    const secret = dto.secret ?? newSecret();
    // A secret a person wrote in a seed file gets the slow hash; a generated one need not.
    const secretHash = dto.secret ? await hashSecret(secret) : hashGeneratedSecret(secret);
    const record: DeviceRecord = {
      id: dto.id,
      patientId: dto.patientId ?? null,
      boundAt,
      registeredAt: at,
      secretHash,
    };
    await this.store.addDevice(
      record,
      auditEntry(by, 'device.registered', dto.id, undefined, { patientId: record.patientId }),
    );
    this.remember(record);
    this.logger.log(`registered device ${dto.id}${dto.patientId ? ` on ${dto.patientId}` : ''}`);
    return { device: viewOf(record), secret };
  }

  /**
   * Puts an available device on an admitted patient; with `rotateSecret`, issues it a new secret
   * (returned once), which a revoked device needs to come back.
   */
  async bind(
    deviceId: string,
    patientId: string,
    options: { rotateSecret?: boolean; since?: string },
    by: string,
  ): Promise<{ device: Device; secret?: string }> {
    const rotateSecret = options.rotateSecret ?? false;
    const before = this.devices.get(deviceId);
    if (!before) throw new DeviceNotFoundError(deviceId);
    this.requireAdmittedPatient(patientId);
    if (before.patientId)
      throw new RegistryConflictError(
        'DEVICE.IN_USE',
        `device ${deviceId} is on patient ${before.patientId}: unbind it first`,
      );
    if (before.secretHash === null && !rotateSecret)
      throw new RegistryConflictError(
        'DEVICE.REVOKED',
        `device ${deviceId} is revoked: bind it with rotateSecret to issue a new secret`,
      );
    const at = this.wornSince(deviceId, options.since, new Date().toISOString());
    const secret = rotateSecret ? newSecret() : undefined;
    const secretHash = secret === undefined ? undefined : hashGeneratedSecret(secret);
    await this.store.bindDevice(
      deviceId,
      patientId,
      at,
      secretHash,
      auditEntry(by, 'device.bound', deviceId, undefined, {
        patientId,
        ...(secret && { secret: 'rotated' }),
      }),
    );
    this.remember({
      ...before,
      patientId,
      boundAt: at,
      ...(secretHash !== undefined && { secretHash }),
    });
    if (secretHash !== undefined) this.verified.delete(deviceId);
    this.logger.log(`bound device ${deviceId} to patient ${patientId}`);
    return { device: this.require(deviceId), ...(secret && { secret }) };
  }

  /** Takes a device off its patient; returns whom it was on. */
  async unbind(deviceId: string, by: string, reason?: string): Promise<string> {
    const before = this.devices.get(deviceId);
    if (!before) throw new DeviceNotFoundError(deviceId);
    if (!before.patientId || before.boundAt === null)
      throw new RegistryConflictError('DEVICE.NOT_BOUND', `device ${deviceId} is on no patient`);
    const at = new Date().toISOString();
    await this.store.unbindDevice(
      deviceId,
      at,
      auditEntry(
        by,
        'device.unbound',
        deviceId,
        { patientId: before.patientId },
        undefined,
        reason,
      ),
    );
    this.rememberPast(deviceId, { patientId: before.patientId, from: before.boundAt, to: at });
    this.remember({ ...before, patientId: null, boundAt: null });
    this.logger.log(`unbound device ${deviceId} from patient ${before.patientId}`);
    return before.patientId;
  }

  async verifyDevice(deviceId: string, password: Buffer | undefined): Promise<boolean> {
    const hash = this.devices.get(deviceId)?.secretHash;
    const secret = password?.toString('utf8') ?? '';
    if (!hash) return verifySecret(secret, DECOY_DEVICE_HASH).then(() => false);
    const print = fingerprint(secret);
    if (this.verified.get(deviceId) === print) return true;
    const valid = await verifySecret(secret, hash);
    // A slow hash gives a rotation or a revocation time to land: the secret checked must still be
    // the device's, or the old one would be accepted, and then remembered as verified.
    if (this.devices.get(deviceId)?.secretHash !== hash) return false;
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

  /**
   * When the binding starts: now, or the `since` given, if it is a valid instant within
   * MAX_WORN_BEFORE_BINDING_MS and after the device's previous binding ended.
   * @throws BindingTimeError
   */
  private wornSince(deviceId: string, since: string | undefined, now: string): string {
    if (since === undefined) return now;
    const ms = parseInstant(since);
    const nowMs = Date.parse(now);
    if (ms === undefined || ms > nowMs || ms < nowMs - MAX_WORN_BEFORE_BINDING_MS)
      throw new BindingTimeError(
        `since ${INSTANT_PROBLEM}, not in the future nor more than a day ago`,
      );
    const lastEnded = Math.max(0, ...(this.pastBindings.get(deviceId) ?? []).map((b) => b.to));
    if (ms < lastEnded)
      throw new BindingTimeError(
        `since is before device ${deviceId} came off its previous patient (${new Date(lastEnded).toISOString()})`,
      );
    return new Date(ms).toISOString();
  }

  private requireAdmittedPatient(patientId: string): void {
    if (!this.patients.find(patientId)) throw new UnknownPatientError(patientId);
    this.patients.requireAdmitted(patientId);
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
    this.remember({ ...device, secretHash });
    this.verified.delete(deviceId);
    this.logger.log(`${action}: device ${deviceId} by ${by}`);
  }

  private remember(device: DeviceRecord): void {
    const boundFrom = device.boundAt === null ? undefined : Date.parse(device.boundAt);
    this.devices.set(device.id, { ...device, ...(boundFrom !== undefined && { boundFrom }) });
    if (device.patientId) this.worn.add(device.id);
    else this.worn.delete(device.id);
  }

  /** Keeps a binding that ended, dropping those too old for any sample ingest still accepts. */
  private rememberPast(
    deviceId: string,
    period: Pick<DeviceBindingPeriod, 'patientId' | 'from' | 'to'>,
  ): void {
    const oldest = Date.now() - MAX_SAMPLE_AGE_MS;
    const kept = (this.pastBindings.get(deviceId) ?? []).filter((b) => b.to > oldest);
    kept.push({
      patientId: period.patientId,
      from: Date.parse(period.from),
      to: Date.parse(period.to ?? ''),
    });
    this.pastBindings.set(deviceId, kept);
  }
}

function viewOf({ secretHash, id, patientId, boundAt, registeredAt }: DeviceRecord): Device {
  const state: DeviceState = secretHash === null ? 'revoked' : patientId ? 'in-use' : 'available';
  return { id, state, patientId, boundAt, registeredAt };
}
