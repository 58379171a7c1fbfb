import { Injectable } from '@nestjs/common';
import type { Device, Patient } from '@vigil/contracts';
import { DeviceRegistry } from '../registry/device-registry';
import { PatientRegistry } from '../registry/patient-registry';
import { fhirIdOf, isFhirId, shortKeyOf } from './fhir-ids';

/**
 * Finds Vigil's patients and devices by the ids the FHIR API gave them. An id that is a digest,
 * or a patient's short key, is found by a pass over the registry (in memory, bounded by its size).
 */
@Injectable()
export class FhirIdentities {
  constructor(
    private readonly patients: PatientRegistry,
    private readonly devices: DeviceRegistry,
  ) {}

  patient(fhirId: string): Patient | undefined {
    if (!isFhirId(fhirId)) return undefined;
    const direct = this.patients.find(fhirId);
    if (direct) return direct;
    return fhirId.startsWith('h-')
      ? this.patients.list().find((patient) => fhirIdOf(patient.id) === fhirId)
      : undefined;
  }

  patientByKey(key: string): Patient | undefined {
    return this.patients.list().find((patient) => this.keyOf(patient.id) === key);
  }

  /** Keys are digests: each patient's is computed once. */
  private readonly keys = new Map<string, string>();

  private keyOf(patientId: string): string {
    let key = this.keys.get(patientId);
    if (key === undefined) {
      key = shortKeyOf(patientId);
      this.keys.set(patientId, key);
    }
    return key;
  }

  device(fhirId: string): Device | undefined {
    if (!isFhirId(fhirId)) return undefined;
    if (this.devices.has(fhirId)) return this.devices.require(fhirId);
    return fhirId.startsWith('h-')
      ? this.devices.list().find((device) => fhirIdOf(device.id) === fhirId)
      : undefined;
  }
}
