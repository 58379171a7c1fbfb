import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PatientWards } from '@vigil/alerts';
import type { Patient, PatientIdentifier, Stay, StayEndReason } from '@vigil/contracts';
import type { AdmissionDto, CreatePatientDto, PlaceDto } from '@vigil/dto';
import { REGISTRY_STORE, auditEntry, type RegistryStore } from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import { PatientNotFoundError, RegistryConflictError, StayNotFoundError } from './registry.errors';

/** What a hospital's PAS may change of a patient without moving her (HL7 v2 A08). */
export type Demographics = Pick<Patient, 'name' | 'identifiers' | 'birthDate' | 'sex'>;

const identifierKey = ({ system, value }: PatientIdentifier): string => `${system}\u0000${value}`;

/**
 * Patients and where they are: admitted (a stay, on a ward and bed) or discharged. Kept in
 * memory as well as in the store: ingest, the gateway and every request ask.
 */
@Injectable()
export class PatientRegistry implements PatientWards {
  private readonly logger = new Logger(PatientRegistry.name);
  private readonly patients = new Map<string, Patient>();
  private readonly byIdentifier = new Map<string, string>();

  constructor(@Inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  async load(): Promise<void> {
    for (const patient of await this.store.listPatients()) this.remember(patient);
  }

  /** Reads the patients again (another node changed some): those changed, before and after. */
  async reload(): Promise<{ before: Patient | undefined; after: Patient }[]> {
    const changed: { before: Patient | undefined; after: Patient }[] = [];
    for (const after of await this.store.listPatients()) {
      const before = this.patients.get(after.id);
      if (JSON.stringify(before) === JSON.stringify(after)) continue;
      this.remember(after);
      changed.push({ before, after });
    }
    return changed;
  }

  list(): Patient[] {
    return [...this.patients.values()];
  }

  find(patientId: string): Patient | undefined {
    return this.patients.get(patientId);
  }

  findByIdentifier(identifier: Pick<PatientIdentifier, 'system' | 'value'>): Patient | undefined {
    const id = this.byIdentifier.get(identifierKey(identifier));
    return id === undefined ? undefined : this.patients.get(id);
  }

  /** @throws PatientNotFoundError */
  require(patientId: string): Patient {
    const patient = this.patients.get(patientId);
    if (!patient) throw new PatientNotFoundError(patientId);
    return patient;
  }

  /** @throws PatientNotFoundError, or RegistryConflictError when she is discharged (read-only). */
  requireAdmitted(patientId: string): Patient {
    const patient = this.require(patientId);
    if (patient.status !== 'admitted')
      throw new RegistryConflictError('PATIENT.DISCHARGED', `patient ${patientId} is discharged`);
    return patient;
  }

  /** The ward an admitted patient lies on; none for a discharged one, who is on no ward's view. */
  wardOf(patientId: string): string | undefined {
    const patient = this.patients.get(patientId);
    return patient?.status === 'admitted' ? patient.ward : undefined;
  }

  stays(patientId: string): Promise<Stay[]> {
    this.require(patientId);
    return this.store.listStays(patientId);
  }

  /** @throws PatientNotFoundError, StayNotFoundError */
  async stayOf(patientId: string, stayId: string): Promise<Stay> {
    const stay = (await this.stays(patientId)).find((candidate) => candidate.id === stayId);
    if (!stay) throw new StayNotFoundError(patientId, stayId);
    return stay;
  }

  /** A new patient, on her first stay. */
  async admit(details: CreatePatientDto, by: string): Promise<Patient> {
    const at = new Date().toISOString();
    const patient: Patient = {
      id: details.id,
      name: details.name,
      identifiers: details.identifiers?.map(copyIdentifier) ?? [],
      ...(details.birthDate && { birthDate: details.birthDate }),
      ...(details.sex && { sex: details.sex }),
      status: 'admitted',
      ward: details.ward,
      ...(details.bed && { bed: details.bed }),
      stayId: randomUUID(),
      admittedAt: at,
      spo2Scale: 1,
    };
    await this.store.addPatient(
      patient,
      opening(patient, details, at),
      auditEntry(by, 'patient.admitted', patient.id, undefined, placeOf(patient)),
    );
    this.remember(patient);
    this.logger.log(`admitted patient ${patient.id} to ward ${patient.ward}`);
    return patient;
  }

  /** A discharged patient back in: a new stay. */
  async readmit(patientId: string, admission: AdmissionDto, by: string): Promise<Patient> {
    const before = this.require(patientId);
    if (before.status === 'admitted')
      throw new RegistryConflictError('PATIENT.ADMITTED', `patient ${patientId} is admitted`);
    const at = new Date().toISOString();
    const { dischargedAt: _left, bed: _bed, ...rest } = before;
    const patient: Patient = {
      ...rest,
      status: 'admitted',
      ward: admission.ward,
      ...(admission.bed && { bed: admission.bed }),
      stayId: randomUUID(),
      admittedAt: at,
    };
    await this.store.readmitPatient(
      patient,
      opening(patient, admission, at),
      auditEntry(by, 'patient.readmitted', patientId, undefined, placeOf(patient)),
    );
    this.remember(patient);
    return patient;
  }

  /** Moves an admitted patient to another ward or bed. */
  async transfer(patientId: string, place: PlaceDto, by: string): Promise<Patient> {
    const before = this.requireAdmitted(patientId);
    if (before.ward === place.ward && before.bed === place.bed)
      throw new RegistryConflictError('PATIENT.SAME_PLACE', `patient ${patientId} is there now`);
    const { bed: _bed, ...rest } = before;
    const patient: Patient = { ...rest, ward: place.ward, ...(place.bed && { bed: place.bed }) };
    await this.store.movePatient(
      patient,
      auditEntry(by, 'patient.transferred', patientId, placeOf(before), placeOf(patient)),
    );
    this.remember(patient);
    this.logger.log(`transferred patient ${patientId} from ${before.ward} to ${patient.ward}`);
    return patient;
  }

  /** Cancels her last transfer: she is where she was before it. */
  async undoTransfer(patientId: string, previous: PlaceDto, by: string): Promise<Patient> {
    const before = this.requireAdmitted(patientId);
    const { bed: _bed, ...rest } = before;
    const patient: Patient = {
      ...rest,
      ward: previous.ward,
      ...(previous.bed && { bed: previous.bed }),
    };
    await this.store.undoLastMove(
      patient,
      auditEntry(by, 'patient.transfer-cancelled', patientId, placeOf(before), placeOf(patient)),
    );
    this.remember(patient);
    return patient;
  }

  /** Ends her stay; her devices, alerts and alarms are the caller's to settle first. */
  async endStay(
    patientId: string,
    reason: StayEndReason,
    note: string | undefined,
    by: string,
  ): Promise<Patient> {
    const before = this.requireAdmitted(patientId);
    const at = new Date().toISOString();
    const patient: Patient = { ...before, status: 'discharged', dischargedAt: at };
    await this.store.endStay(
      patient,
      { stayId: before.stayId, at, reason, ...(note && { note }) },
      auditEntry(
        by,
        reason === 'discharged' ? 'patient.discharged' : `patient.${reason}`,
        patientId,
        placeOf(before),
        { stayId: before.stayId, ...(note && { note }) },
      ),
    );
    this.remember(patient);
    this.logger.log(`patient ${patientId}: stay ended (${reason})`);
    return patient;
  }

  /** Opens her last stay again where it ended (a discharge entered in error). */
  async reopenStay(patientId: string, by: string): Promise<Patient> {
    const before = this.require(patientId);
    if (before.status === 'admitted')
      throw new RegistryConflictError('PATIENT.ADMITTED', `patient ${patientId} is admitted`);
    const { dischargedAt: _left, ...rest } = before;
    const patient: Patient = { ...rest, status: 'admitted' };
    await this.store.reopenStay(
      patient,
      auditEntry(by, 'patient.discharge-cancelled', patientId, undefined, placeOf(patient)),
    );
    this.remember(patient);
    return patient;
  }

  async updateDemographics(patientId: string, changes: Demographics, by: string): Promise<Patient> {
    const before = this.require(patientId);
    const { birthDate: _born, sex: _sex, ...rest } = before;
    const patient: Patient = {
      ...rest,
      name: changes.name,
      identifiers: changes.identifiers.map(copyIdentifier),
      ...(changes.birthDate && { birthDate: changes.birthDate }),
      ...(changes.sex && { sex: changes.sex }),
    };
    await this.store.updateDemographics(
      patient,
      auditEntry(by, 'patient.updated', patientId, demographicsOf(before), demographicsOf(patient)),
    );
    this.forgetIdentifiers(before);
    this.remember(patient);
    return patient;
  }

  /** The patient's NEWS2 SpO2 scale, on a clinician's order; audited. */
  async setSpo2Scale(patientId: string, scale: 1 | 2, by: string): Promise<Patient> {
    const patient = this.requireAdmitted(patientId);
    await this.store.setSpo2Scale(
      patientId,
      scale,
      auditEntry(by, 'patient.spo2-scale', patientId, patient.spo2Scale, scale),
    );
    const updated = { ...patient, spo2Scale: scale };
    this.remember(updated);
    return updated;
  }

  private remember(patient: Patient): void {
    this.patients.set(patient.id, patient);
    for (const identifier of patient.identifiers)
      this.byIdentifier.set(identifierKey(identifier), patient.id);
  }

  private forgetIdentifiers(patient: Patient): void {
    for (const identifier of patient.identifiers)
      this.byIdentifier.delete(identifierKey(identifier));
  }
}

function copyIdentifier({ system, value, type }: PatientIdentifier): PatientIdentifier {
  return { system, value, ...(type && { type }) };
}

function opening(patient: Patient, admission: AdmissionDto, at: string) {
  return {
    stayId: patient.stayId,
    at,
    ...(admission.visitNumber && { visitNumber: admission.visitNumber }),
    location: { ward: patient.ward, ...(patient.bed && { bed: patient.bed }) },
  };
}

/** What the audit trail records of where she is. */
function placeOf(patient: Patient): { ward: string; bed?: string } {
  return { ward: patient.ward, ...(patient.bed && { bed: patient.bed }) };
}

function demographicsOf(patient: Patient): Demographics {
  return {
    name: patient.name,
    identifiers: patient.identifiers,
    ...(patient.birthDate && { birthDate: patient.birthDate }),
    ...(patient.sex && { sex: patient.sex }),
  };
}
