import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PatientWards } from '@vigil/alerts';
import type { Patient } from '@vigil/contracts';
import type { CreatePatientDto } from '@vigil/dto';
import { REGISTRY_STORE, auditEntry, type RegistryStore } from '@vigil/storage';
import { PatientNotFoundError } from './registry.errors';

/** The patients admitted, kept in memory as well as in the store: ingest asks on every message. */
@Injectable()
export class PatientRegistry implements PatientWards {
  private readonly logger = new Logger(PatientRegistry.name);
  private readonly patients = new Map<string, Patient>();

  constructor(@Inject(REGISTRY_STORE) private readonly store: RegistryStore) {}

  async load(): Promise<void> {
    for (const patient of await this.store.listPatients()) this.patients.set(patient.id, patient);
  }

  list(): Patient[] {
    return [...this.patients.values()];
  }

  find(patientId: string): Patient | undefined {
    return this.patients.get(patientId);
  }

  /** @throws PatientNotFoundError */
  require(patientId: string): Patient {
    const patient = this.patients.get(patientId);
    if (!patient) throw new PatientNotFoundError(patientId);
    return patient;
  }

  wardOf(patientId: string): string | undefined {
    return this.patients.get(patientId)?.ward;
  }

  async admit(dto: CreatePatientDto, by: string): Promise<Patient> {
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

  /** The patient's NEWS2 SpO2 scale, on a clinician's order; audited. */
  async setSpo2Scale(patientId: string, scale: 1 | 2, by: string): Promise<Patient> {
    const patient = this.require(patientId);
    await this.store.setSpo2Scale(
      patientId,
      scale,
      auditEntry(by, 'patient.spo2-scale', patientId, patient.spo2Scale, scale),
    );
    const updated = { ...patient, spo2Scale: scale };
    this.patients.set(patientId, updated);
    return updated;
  }
}
