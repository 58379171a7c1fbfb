import type { Hl7Message, Hl7Segment } from '@medplum/core';
import { ID_PATTERN, MRN_TYPE, type PatientIdentifier, type PatientSex } from '@vigil/contracts';

/** The ADT trigger events Vigil applies (HL7 v2.5.1 chapter 3). */
export const ADT_TRIGGERS = ['A01', 'A02', 'A03', 'A04', 'A08', 'A11', 'A12', 'A13'] as const;
export type AdtTrigger = (typeof ADT_TRIGGERS)[number];

/** HL7 table 0357, the error codes an ACK's ERR-3 gives. */
export const HL7_ERROR = {
  requiredFieldMissing: '101',
  dataTypeError: '102',
  tableValueNotFound: '103',
  unsupportedMessageType: '200',
  unsupportedEventCode: '201',
  unsupportedProcessingId: '202',
  unknownKeyIdentifier: '204',
  duplicateKeyIdentifier: '205',
  applicationInternalError: '207',
} as const;
export type Hl7ErrorCode = (typeof HL7_ERROR)[keyof typeof HL7_ERROR];

/** Why a message is not applied: AR (rejected: not a message Vigil takes) or AE (an error in it). */
export interface AdtProblem {
  readonly ackCode: 'AE' | 'AR';
  readonly errorCode: Hl7ErrorCode;
  /** ERR-2, the segment and field concerned, e.g. `PID^1^3`. */
  readonly location?: string;
  readonly text: string;
}

/** One ADT message, read into what Vigil needs of it. */
export interface AdtEvent {
  readonly trigger: AdtTrigger;
  /** The sending application and facility, and their control id: what makes a message unique. */
  readonly sender: string;
  readonly controlId: string;
  readonly identifiers: readonly PatientIdentifier[];
  /** The identifier Vigil finds the patient by: the MRN (PID-3 of type MR, else the first). */
  readonly mrn: PatientIdentifier;
  readonly name?: string;
  readonly birthDate?: string;
  readonly sex?: PatientSex;
  readonly ward?: string;
  readonly bed?: string;
  readonly visitNumber?: string;
}

const SEX: Readonly<Record<string, PatientSex>> = {
  F: 'female',
  M: 'male',
  O: 'other',
  A: 'other',
  U: 'unknown',
  N: 'unknown',
};

/** What Vigil accepts as a ward, bed or visit number (the DTOs' own rule). */
const PLACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}$/;

/**
 * Reads an ADT message parsed by @medplum/core. Pure: the registry is not consulted, so every
 * problem found here is in the message itself.
 */
export function readAdtMessage(message: Hl7Message): AdtEvent | AdtProblem {
  const header = message.header;
  const controlId = header.getField(10)?.toString() ?? '';
  if (!controlId)
    return reject(
      'MSH^1^10',
      HL7_ERROR.requiredFieldMissing,
      'MSH-10 (message control id) is missing',
    );
  const type = header.getComponent(9, 1);
  const trigger = header.getComponent(9, 2);
  if (type === 'ACK')
    return reject('MSH^1^9', HL7_ERROR.unsupportedMessageType, 'an ACK is not a message to apply');
  if (type !== 'ADT')
    return reject(
      'MSH^1^9',
      HL7_ERROR.unsupportedMessageType,
      `message type ${type || '(none)'} is not taken here; only ADT`,
    );
  if (!(ADT_TRIGGERS as readonly string[]).includes(trigger))
    return reject(
      'MSH^1^9',
      HL7_ERROR.unsupportedEventCode,
      `ADT^${trigger || '(none)'} is not taken here; Vigil takes ${ADT_TRIGGERS.join(', ')}`,
    );
  const processing = header.getComponent(11, 1);
  if (processing !== '' && processing !== 'P' && processing !== 'T')
    return reject(
      'MSH^1^11',
      HL7_ERROR.unsupportedProcessingId,
      `processing id ${processing} is not taken here`,
    );
  const sender = `${header.getComponent(3, 1)}@${header.getComponent(4, 1)}`;

  const pid = message.getSegment('PID');
  if (!pid) return error('PID', HL7_ERROR.requiredFieldMissing, 'the PID segment is missing');
  const identifiers = readIdentifiers(pid, header.getComponent(4, 1));
  if (identifiers.length === 0)
    return error(
      'PID^1^3',
      HL7_ERROR.requiredFieldMissing,
      'PID-3 (patient identifier list) is empty',
    );
  const mrn = identifiers.find((identifier) => identifier.type === MRN_TYPE) ?? identifiers[0];

  const name = readName(pid);
  const birth = pid.getComponent(7, 1);
  const birthDate = birth ? readDate(birth) : undefined;
  if (birth && !birthDate)
    return error(
      'PID^1^7',
      HL7_ERROR.dataTypeError,
      `PID-7 (birth date) "${birth}" is not a date (YYYYMMDD)`,
    );
  const sexCode = pid.getComponent(8, 1);
  const sex = sexCode ? SEX[sexCode.toUpperCase()] : undefined;
  if (sexCode && !sex)
    return error(
      'PID^1^8',
      HL7_ERROR.tableValueNotFound,
      `PID-8 (sex) "${sexCode}" is not in HL7 table 0001`,
    );

  const pv1 = message.getSegment('PV1');
  const ward = pv1?.getComponent(3, 1) || undefined;
  const room = pv1?.getComponent(3, 2);
  const bedOnly = pv1?.getComponent(3, 3);
  const bed = [room, bedOnly].filter(Boolean).join('/') || undefined;
  const visitNumber = pv1?.getComponent(19, 1) || undefined;
  if (ward !== undefined && !ID_PATTERN.test(ward))
    return error(
      'PV1^1^3',
      HL7_ERROR.dataTypeError,
      `PV1-3.1 (point of care) "${ward}" is not a ward id Vigil takes`,
    );
  for (const [value, where] of [
    [bed, 'PV1^1^3'],
    [visitNumber, 'PV1^1^19'],
  ] as const) {
    if (value !== undefined && !PLACE_PATTERN.test(value))
      return error(
        where,
        HL7_ERROR.dataTypeError,
        `${where.replaceAll('^1^', '-')} "${value}" has characters Vigil does not take`,
      );
  }
  const needsWard = trigger === 'A01' || trigger === 'A04' || trigger === 'A02';
  if (needsWard && !ward)
    return error(
      'PV1^1^3',
      HL7_ERROR.requiredFieldMissing,
      `ADT^${trigger} needs PV1-3 (assigned location: ward^room^bed)`,
    );
  if ((trigger === 'A01' || trigger === 'A04' || trigger === 'A08') && !name)
    return error(
      'PID^1^5',
      HL7_ERROR.requiredFieldMissing,
      `ADT^${trigger} needs PID-5 (patient name)`,
    );

  return {
    trigger: trigger as AdtTrigger,
    sender,
    controlId,
    identifiers,
    mrn,
    ...(name && { name }),
    ...(birthDate && { birthDate }),
    ...(sex && { sex }),
    ...(ward && { ward }),
    ...(bed && { bed }),
    ...(visitNumber && { visitNumber }),
  };
}

/** PID-3, each repetition a CX: ID^check digit^scheme^assigning authority^type. */
function readIdentifiers(pid: Hl7Segment, sendingFacility: string): PatientIdentifier[] {
  const field = pid.getField(3);
  const identifiers: PatientIdentifier[] = [];
  for (let repetition = 0; repetition < Math.min(field.components.length, 10); repetition += 1) {
    const value = field.getComponent(1, undefined, repetition);
    if (!value || value.length > 64) continue;
    // CX-4 is an HD: namespace id & universal id & its type; either names the authority.
    const [namespace, universalId] = field
      .getComponent(4, undefined, repetition)
      .split(pid.context.subcomponentSeparator);
    const authority = namespace || universalId || sendingFacility;
    const type = field.getComponent(5, undefined, repetition);
    identifiers.push({
      system: authority || 'unknown',
      value,
      ...(/^[A-Z]{1,5}$/.test(type) && { type }),
    });
  }
  return identifiers;
}

/** PID-5, an XPN: family^given^further given names^suffix^prefix; the name as a ward says it. */
function readName(pid: Hl7Segment): string | undefined {
  const [family, given, middle] = [1, 2, 3].map((component) =>
    pid.getComponent(5, component).trim(),
  );
  const name = [given, middle, family].filter(Boolean).join(' ');
  return name ? name.slice(0, 200) : undefined;
}

/** HL7 DT/DTM `YYYYMMDD[HHMM...]` to `YYYY-MM-DD`, if it is a real date. */
function readDate(text: string): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(text);
  if (!match) return undefined;
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso) ? iso : undefined;
}

function reject(location: string, errorCode: Hl7ErrorCode, text: string): AdtProblem {
  return { ackCode: 'AR', errorCode, location, text };
}

function error(location: string, errorCode: Hl7ErrorCode, text: string): AdtProblem {
  return { ackCode: 'AE', errorCode, location, text };
}

export function isAdtProblem(read: AdtEvent | AdtProblem): read is AdtProblem {
  return 'ackCode' in read;
}
