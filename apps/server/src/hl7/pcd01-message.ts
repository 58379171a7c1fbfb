import { Hl7Message, Hl7Segment } from '@medplum/core';
import {
  MRN_TYPE,
  VITAL_NAMES,
  VITAL_SIGNS,
  mrnOf,
  type Patient,
  type VitalName,
  type VitalValues,
} from '@vigil/contracts';

/**
 * IEEE 11073-10101 (MDC) terms of each vital and its unit, with the LOINC and UCUM codes as the
 * alternates (IHE PCD Rosetta Terminology Mapping). The heart rate is MDC_ECG_HEART_RATE, as
 * bedside monitors chart it.
 */
export const MDC: Readonly<Record<VitalName, { readonly code: string; readonly unit: string }>> = {
  heartRate: { code: '147842^MDC_ECG_HEART_RATE', unit: '264864^MDC_DIM_BEAT_PER_MIN' },
  respRate: { code: '151562^MDC_RESP_RATE', unit: '264928^MDC_DIM_RESP_PER_MIN' },
  spo2: { code: '150456^MDC_PULS_OXIM_SAT_O2', unit: '262688^MDC_DIM_PERCENT' },
  temperature: { code: '150364^MDC_TEMP_BODY', unit: '268192^MDC_DIM_DEGC' },
  systolicBp: { code: '150021^MDC_PRESS_BLD_NONINV_SYS', unit: '266016^MDC_DIM_MMHG' },
  diastolicBp: { code: '150022^MDC_PRESS_BLD_NONINV_DIA', unit: '266016^MDC_DIM_MMHG' },
};

/** MSH-21: the IHE PCD-01 message profile. */
export const PCD01_PROFILE = 'IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO';
const MDS_HEADER = '69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC';
const MONITORING = '182777000^monitoring of patient^SCT';
const SEX: Readonly<Record<NonNullable<Patient['sex']>, string>> = {
  female: 'F',
  male: 'M',
  other: 'O',
  unknown: 'U',
};

/** HL7 v2.6 §2.7.4: the separators and the escape character, escaped inside a value. */
export function hl7Escape(text: string): string {
  return text.replace(/[\\|^~&\r\n]/g, (character) => {
    switch (character) {
      case '\\':
        return '\\E\\';
      case '|':
        return '\\F\\';
      case '^':
        return '\\S\\';
      case '~':
        return '\\R\\';
      case '&':
        return '\\T\\';
      default:
        return '\\.br\\';
    }
  });
}

/** An HL7 DTM in UTC: `YYYYMMDDHHMMSS+0000`. */
export function hl7Time(ts: number): string {
  return `${new Date(ts).toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

/** One device's medians over the interval, and how many samples each came from. */
export interface DeviceMedians {
  readonly deviceId: string;
  readonly medians: VitalValues;
}

/** A set a nurse recorded in the interval: validated by her, so charted final. */
export interface NurseReadings {
  readonly effectiveAt: number;
  readonly recordedBy: string;
  readonly vitals: VitalValues;
}

export interface ChartedInterval {
  readonly controlId: string;
  readonly sentAt: number;
  /** MSH-5 and MSH-6, `application^facility`, when configured. */
  readonly receiver?: { readonly application: string; readonly facility: string };
  readonly patient: Patient;
  readonly visitNumber?: string;
  readonly start: number;
  readonly end: number;
  readonly devices: readonly DeviceMedians[];
  readonly nurses: readonly NurseReadings[];
}

const coded = (vital: VitalName) =>
  `${MDC[vital].code}^MDC^${VITAL_SIGNS[vital].loinc}^${hl7Escape(VITAL_SIGNS[vital].display)}^LN`;
const units = (vital: VitalName) =>
  `${MDC[vital].unit}^MDC^${hl7Escape(VITAL_SIGNS[vital].unit)}^${hl7Escape(VITAL_SIGNS[vital].unit)}^UCUM`;
const numeric = (value: number) => String(Number(value.toFixed(1)));

/** HL7 XPN from Vigil's one-line name: the last word the family name, the rest given names. */
function personName(name: string): string {
  const words = name.trim().split(/\s+/);
  const family = words.pop() ?? '';
  return `${hl7Escape(family)}^${hl7Escape(words.join(' '))}`;
}

/**
 * An ORU^R01 of the IHE PCD-01 profile (Device to Enterprise Communication, HL7 v2.6): one
 * interval of one patient, each device's medians as results entered (OBX-11 `R`) under a
 * monitor header, and each nurse's set as final results (`F`) with her as the observer.
 */
export function pcd01Message(interval: ChartedInterval): string {
  const { patient } = interval;
  const mrn = mrnOf(patient) ?? { system: 'VIGIL', value: patient.id, type: 'PI' };
  const segments: string[][] = [
    [
      'MSH',
      '^~\\&',
      'VIGIL',
      '',
      interval.receiver ? hl7Escape(interval.receiver.application) : '',
      interval.receiver ? hl7Escape(interval.receiver.facility) : '',
      hl7Time(interval.sentAt),
      '',
      'ORU^R01^ORU_R01',
      interval.controlId,
      'P',
      '2.6',
      '',
      '',
      'NE',
      'AL',
      '',
      'UNICODE UTF-8',
      '',
      '',
      PCD01_PROFILE,
    ],
    [
      'PID',
      '',
      '',
      `${hl7Escape(mrn.value)}^^^${hl7Escape(mrn.system)}^${hl7Escape(mrn.type ?? MRN_TYPE)}`,
      '',
      personName(patient.name),
      '',
      patient.birthDate?.replace(/-/g, '') ?? '',
      patient.sex ? SEX[patient.sex] : '',
    ],
    [
      'PV1',
      '',
      'I',
      `${hl7Escape(patient.ward)}^^${hl7Escape(patient.bed ?? '')}`,
      ...Array<string>(15).fill(''),
      interval.visitNumber ? hl7Escape(interval.visitNumber) : '',
    ],
    [
      'OBR',
      '1',
      '',
      `${interval.controlId}^VIGIL`,
      MONITORING,
      '',
      '',
      hl7Time(interval.start),
      hl7Time(interval.end),
    ],
  ];
  const observed = hl7Time(interval.end);
  /** An OBX with its set id and the fields given, by their HL7 number. */
  const obx = (fields: Readonly<Record<number, string>>) => {
    const segment = ['OBX', String(segments.length - 3)];
    const last = Math.max(...Object.keys(fields).map(Number));
    for (let index = 2; index <= last; index += 1) segment.push(fields[index] ?? '');
    segments.push(segment);
  };
  interval.devices.forEach((device, index) => {
    const mds = index + 1;
    const equipment = `${hl7Escape(device.deviceId)}^VIGIL`;
    obx({ 3: MDS_HEADER, 4: `${mds}.0.0.0`, 11: 'X', 18: equipment });
    let metric = 0;
    for (const vital of VITAL_NAMES) {
      const value = device.medians[vital];
      if (value === undefined) continue;
      metric += 1;
      obx({
        2: 'NM',
        3: coded(vital),
        4: `${mds}.0.0.${metric}`,
        5: numeric(value),
        6: units(vital),
        11: 'R',
        14: observed,
        18: equipment,
      });
    }
  });
  for (const set of interval.nurses) {
    for (const vital of VITAL_NAMES) {
      const value = set.vitals[vital];
      if (value === undefined) continue;
      obx({
        2: 'NM',
        3: coded(vital),
        5: numeric(value),
        6: units(vital),
        11: 'F',
        14: hl7Time(set.effectiveAt),
        16: hl7Escape(set.recordedBy),
      });
    }
  }
  return new Hl7Message(segments.map((fields) => new Hl7Segment(fields))).toString();
}
