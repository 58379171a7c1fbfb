import type {
  Device as FhirDevice,
  Encounter as FhirEncounter,
  Patient as FhirPatient,
} from '@medplum/fhirtypes';
import type { Device, Patient, Stay } from '@vigil/contracts';
import { SYSTEM } from './fhir-codes';
import { encounterIdOf, fhirIdOf } from './fhir-ids';

export function toFhirPatient(patient: Patient): FhirPatient {
  return {
    resourceType: 'Patient',
    id: fhirIdOf(patient.id),
    identifier: patient.identifiers.map((identifier) => ({
      ...(identifier.type !== undefined && {
        type: { coding: [{ system: SYSTEM.identifierType, code: identifier.type }] },
      }),
      system: identifier.system,
      value: identifier.value,
    })),
    active: true,
    name: [{ text: patient.name }],
    ...(patient.sex !== undefined && { gender: patient.sex }),
    ...(patient.birthDate !== undefined && { birthDate: patient.birthDate }),
  };
}

/** A wearable; `patient` is who wears it now (R4 Device.patient). */
export function toFhirDevice(device: Device): FhirDevice {
  return {
    resourceType: 'Device',
    id: fhirIdOf(device.id),
    status: device.state === 'revoked' ? 'inactive' : 'active',
    deviceName: [{ name: device.id, type: 'user-friendly-name' }],
    ...(device.patientId !== null && {
      patient: { reference: `Patient/${fhirIdOf(device.patientId)}` },
    }),
  };
}

const ENCOUNTER_STATUS = {
  discharged: 'finished',
  'admission-cancelled': 'cancelled',
  merged: 'entered-in-error',
} as const;

/** A stay as an inpatient Encounter, with the wards and beds it passed through. */
export function toFhirEncounter(stay: Stay): FhirEncounter {
  return {
    resourceType: 'Encounter',
    id: encounterIdOf(stay.patientId, stay.id),
    ...(stay.visitNumber !== undefined && {
      identifier: [
        {
          type: { coding: [{ system: SYSTEM.identifierType, code: 'VN' }] },
          value: stay.visitNumber,
        },
      ],
    }),
    status:
      stay.end === undefined ? 'in-progress' : ENCOUNTER_STATUS[stay.endReason ?? 'discharged'],
    class: { system: SYSTEM.actCode, code: 'IMP', display: 'inpatient encounter' },
    subject: { reference: `Patient/${fhirIdOf(stay.patientId)}` },
    period: { start: stay.start, ...(stay.end !== undefined && { end: stay.end }) },
    location: stay.locations.map((location) => ({
      location: {
        display: location.bed === undefined ? location.ward : `${location.ward} ${location.bed}`,
      },
      status: location.to === undefined && stay.end === undefined ? 'active' : 'completed',
      period: { start: location.from, ...(location.to !== undefined && { end: location.to }) },
    })),
  };
}

/** The Encounter statuses a stay can have, for the CapabilityStatement and search. */
export const ENCOUNTER_STATUSES = ['in-progress', ...Object.values(ENCOUNTER_STATUS)];
