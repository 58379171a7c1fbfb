import { Injectable } from '@nestjs/common';
import { ID_PATTERN, type Patient } from '@vigil/contracts';
import { DuplicateRecordError } from '@vigil/storage';
import { randomUUID } from 'node:crypto';
import { PatientRegistry } from '../registry/patient-registry';
import {
  PatientNotFoundError,
  RegistryConflictError,
  StayNotFoundError,
} from '../registry/registry.errors';
import { StayService } from '../stays/stay.service';
import { HL7_ERROR, type AdtEvent, type AdtProblem } from './adt-message';

/** What applying a message came to: done (`AA`), with what it did, or a problem to answer. */
export type AdtOutcome = { readonly ackCode: 'AA'; readonly text: string } | AdtProblem;

/**
 * Applies ADT events to Vigil as the HTTP routes do, through the same StayService: the patient
 * is found by her MRN (PID-3), and the change is audited in the sending system's name.
 */
@Injectable()
export class AdtApplier {
  constructor(
    private readonly patients: PatientRegistry,
    private readonly stays: StayService,
  ) {}

  async apply(event: AdtEvent): Promise<AdtOutcome> {
    const by = `hl7:${event.sender}`;
    const known = this.patients.findByIdentifier(event.mrn);
    try {
      if (event.trigger === 'A01' || event.trigger === 'A04')
        return await this.admit(event, known, by);
      if (!known) throw new PatientNotFoundError(event.mrn.value);
      switch (event.trigger) {
        case 'A02':
          return await this.transfer(event, known, by);
        case 'A03':
          await this.stays.discharge(known.id, undefined, by);
          return done('discharged');
        case 'A08':
          await this.stays.updateDemographics(known.id, demographics(event, known), by);
          return done('updated');
        case 'A11':
          await this.stays.discharge(known.id, undefined, by, 'admission-cancelled');
          return done('admission cancelled');
        case 'A12':
          await this.stays.cancelTransfer(known.id, by);
          return done('transfer cancelled');
        case 'A13':
          await this.stays.cancelDischarge(known.id, by);
          return done('discharge cancelled');
      }
    } catch (failure) {
      return problemOf(failure);
    }
  }

  /** A01/A04: a new patient, or a discharged one back; an admitted one only if nothing differs. */
  private async admit(
    event: AdtEvent,
    known: Patient | undefined,
    by: string,
  ): Promise<AdtOutcome> {
    const place = { ward: event.ward as string, ...(event.bed && { bed: event.bed }) };
    const visit = event.visitNumber ? { visitNumber: event.visitNumber } : {};
    if (!known) {
      await this.stays.admit(
        {
          id: this.newPatientId(event),
          name: event.name as string,
          identifiers: [...event.identifiers],
          ...(event.birthDate && { birthDate: event.birthDate }),
          ...(event.sex && { sex: event.sex }),
          ...place,
          ...visit,
        },
        by,
      );
      return done('admitted');
    }
    if (known.status === 'discharged') {
      await this.stays.readmit(known.id, { ...place, ...visit }, by);
      return done('readmitted');
    }
    if (known.ward === place.ward) return done('already admitted there');
    return {
      ackCode: 'AE',
      errorCode: HL7_ERROR.duplicateKeyIdentifier,
      location: 'PID^1^3',
      text: `patient ${event.mrn.value} is already admitted to ${known.ward}; send A02 to move her`,
    };
  }

  private async transfer(event: AdtEvent, patient: Patient, by: string): Promise<AdtOutcome> {
    if (patient.ward === event.ward && patient.bed === event.bed) return done('already there');
    await this.stays.transfer(
      patient.id,
      { ward: event.ward as string, ...(event.bed && { bed: event.bed }) },
      by,
    );
    return done('transferred');
  }

  /** Her MRN when it makes a free Vigil id, else a new one: ids are Vigil's, MRNs the hospital's. */
  private newPatientId(event: AdtEvent): string {
    const candidate = event.mrn.value;
    if (ID_PATTERN.test(candidate) && !this.patients.find(candidate)) return candidate;
    return `hl7-${randomUUID()}`;
  }
}

function done(text: string): AdtOutcome {
  return { ackCode: 'AA', text };
}

/** A08 replaces what it names; what it leaves out is kept. */
function demographics(event: AdtEvent, patient: Patient) {
  return {
    name: event.name ?? patient.name,
    identifiers: mergeIdentifiers(patient, event),
    birthDate: event.birthDate ?? patient.birthDate,
    sex: event.sex ?? patient.sex,
  };
}

function mergeIdentifiers(patient: Patient, event: AdtEvent) {
  const key = (i: { system: string; value: string }) => `${i.system}\u0000${i.value}`;
  const sent = new Set(event.identifiers.map(key));
  return [...event.identifiers, ...patient.identifiers.filter((i) => !sent.has(key(i)))];
}

function problemOf(failure: unknown): AdtProblem {
  if (failure instanceof PatientNotFoundError)
    return {
      ackCode: 'AE',
      errorCode: HL7_ERROR.unknownKeyIdentifier,
      location: 'PID^1^3',
      text: `no patient with identifier ${failure.patientId} is known to Vigil`,
    };
  if (failure instanceof DuplicateRecordError)
    return {
      ackCode: 'AE',
      errorCode: HL7_ERROR.duplicateKeyIdentifier,
      location: 'PID^1^3',
      text: `${failure.kind} ${failure.id} belongs to another patient`,
    };
  if (failure instanceof RegistryConflictError || failure instanceof StayNotFoundError)
    return { ackCode: 'AE', errorCode: HL7_ERROR.applicationInternalError, text: failure.message };
  throw failure;
}
