import type { Device, Patient } from '@vigil/contracts';

export const REGISTRY_STORE = Symbol('RegistryStore');

export class DuplicateRecordError extends Error {
  constructor(
    readonly kind: 'patient' | 'device',
    readonly id: string,
  ) {
    super(`${kind} ${id} already exists`);
  }
}

/** Patients admitted and the devices bound to them. */
export interface RegistryStore {
  /** @throws DuplicateRecordError when the id is taken. */
  addPatient(patient: Patient): Promise<void>;
  /** @throws DuplicateRecordError when the id is taken. */
  addDevice(device: Device): Promise<void>;
  listPatients(): Promise<Patient[]>;
  listDevices(): Promise<Device[]>;
}
