import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { VITAL_SIGNS, type ConsciousnessLevel, type VitalName } from '@vigil/contracts';

/** The code systems Vigil's FHIR resources use (hl7.org/fhir/R4/terminologies-systems.html). */
export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
} as const;

export const PROFILE_BASE = 'http://hl7.org/fhir/StructureDefinition/';

export type ObservationCategory = 'vital-signs' | 'exam' | 'therapy' | 'survey';

/**
 * What Vigil charts as Observations, in the order a sample's Observations are listed. `short` is
 * the kind's part of an Observation id; `profile` the R4 vital-signs profile it conforms to.
 */
export interface ObservationKind {
  readonly short: string;
  readonly category: ObservationCategory;
  readonly code: CodeableConcept;
  readonly profile?: string;
}

const loinc = (code: string, display: string): Coding => ({ system: SYSTEM.loinc, code, display });

/**
 * The R4 profiles fix the LOINC code of each vital sign (hl7.org/fhir/R4/observation-vitalsigns.html);
 * oxygen saturation's profile fixes 2708-6, so a pulse oximeter's own 59408-5 is given beside it.
 */
const VITAL_KINDS: Readonly<
  Record<Exclude<VitalName, 'systolicBp' | 'diastolicBp'>, ObservationKind>
> = {
  heartRate: {
    short: 'hr',
    category: 'vital-signs',
    code: { coding: [loinc('8867-4', 'Heart rate')], text: 'Heart rate' },
    profile: 'heartrate',
  },
  respRate: {
    short: 'rr',
    category: 'vital-signs',
    code: { coding: [loinc('9279-1', 'Respiratory rate')], text: 'Respiratory rate' },
    profile: 'resprate',
  },
  spo2: {
    short: 'spo2',
    category: 'vital-signs',
    code: {
      coding: [
        loinc('2708-6', 'Oxygen saturation in Arterial blood'),
        loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
      ],
      text: 'Oxygen saturation (SpO2)',
    },
    profile: 'oxygensat',
  },
  temperature: {
    short: 'temp',
    category: 'vital-signs',
    code: { coding: [loinc('8310-5', 'Body temperature')], text: 'Body temperature' },
    profile: 'bodytemp',
  },
};

const KINDS = {
  ...VITAL_KINDS,
  bloodPressure: {
    short: 'bp',
    category: 'vital-signs',
    code: {
      coding: [loinc('85354-9', 'Blood pressure panel with all children optional')],
      text: 'Blood pressure',
    },
    profile: 'bp',
  },
  /** A pressure without its other half cannot be a panel: it is charted on its own. */
  systolicBp: {
    short: 'sbp',
    category: 'vital-signs',
    code: { coding: [loinc('8480-6', 'Systolic blood pressure')], text: 'Systolic blood pressure' },
  },
  diastolicBp: {
    short: 'dbp',
    category: 'vital-signs',
    code: {
      coding: [loinc('8462-4', 'Diastolic blood pressure')],
      text: 'Diastolic blood pressure',
    },
  },
  /** The vital signs of one sample or set, grouped. */
  vitalsPanel: {
    short: 'panel',
    category: 'vital-signs',
    code: {
      coding: [
        loinc(
          '85353-1',
          'Vital signs, weight, height, head circumference, oxygen saturation and BMI panel',
        ),
      ],
      text: 'Vital signs',
    },
    profile: 'vitalspanel',
  },
  consciousness: {
    short: 'acvpu',
    category: 'exam',
    code: { coding: [loinc('67775-7', 'Level of responsiveness')], text: 'ACVPU' },
  },
  airOrOxygen: {
    short: 'o2',
    category: 'therapy',
    code: {
      coding: [{ system: SYSTEM.snomed, code: '57485005', display: 'Oxygen therapy' }],
      text: 'Air or oxygen (NEWS2): true when on supplemental oxygen',
    },
  },
  news2: {
    short: 'news2',
    category: 'survey',
    code: {
      coding: [
        {
          system: SYSTEM.snomed,
          code: '1104051000000101',
          display: 'Royal College of Physicians National Early Warning Score 2 (observable entity)',
        },
      ],
      text: 'NEWS2',
    },
  },
} as const satisfies Record<string, ObservationKind>;

export type KindName = keyof typeof KINDS;

export const KIND: Readonly<Record<KindName, ObservationKind>> = KINDS;

/** Kinds in listing order, which is also their order within one sample or set. */
export const KIND_NAMES = Object.keys(KIND) as KindName[];

export const KIND_BY_SHORT: ReadonlyMap<string, KindName> = new Map(
  KIND_NAMES.map((name) => [KIND[name].short, name]),
);

/** The UCUM unit of each quantity Vigil charts, as the catalogue gives it. */
export function ucumOf(vital: VitalName): string {
  return VITAL_SIGNS[vital].unit;
}

/**
 * ACVPU in SNOMED CT: AVPU's findings as IHE's paramedicine profile lists them, and acute
 * confusion for NEWS2's C.
 */
export const ACVPU_CODING: Readonly<Record<ConsciousnessLevel, Coding>> = {
  A: { system: SYSTEM.snomed, code: '248234008', display: 'Mentally alert' },
  C: { system: SYSTEM.snomed, code: '130987000', display: 'Acute confusion' },
  V: { system: SYSTEM.snomed, code: '300202002', display: 'Responds to voice' },
  P: { system: SYSTEM.snomed, code: '450847001', display: 'Responds to pain' },
  U: { system: SYSTEM.snomed, code: '422768004', display: 'Unresponsive' },
};

export function categoryOf(category: ObservationCategory): CodeableConcept[] {
  return [{ coding: [{ system: SYSTEM.observationCategory, code: category }] }];
}
