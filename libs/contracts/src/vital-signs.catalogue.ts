/**
 * The vital signs Vigil accepts: wire name, UCUM unit, LOINC code and the range a sensor on a
 * living adult can truthfully report. Values outside the range are rejected as implausible
 * (sensor fault or unit error), never stored or evaluated.
 *
 * LOINC codes are those of the FHIR R4 vital-signs profile (hl7.org/fhir/R4/observation-vitalsigns.html).
 */
export interface VitalSignDefinition {
  readonly display: string;
  /** UCUM code (unitsofmeasure.org). */
  readonly unit: string;
  readonly loinc: string;
  readonly min: number;
  readonly max: number;
}

export const VITAL_SIGNS = {
  heartRate: { display: 'Heart rate', unit: '/min', loinc: '8867-4', min: 20, max: 300 },
  // 0/min is apnoea, a real and critical reading, so it is accepted.
  respRate: { display: 'Respiratory rate', unit: '/min', loinc: '9279-1', min: 0, max: 80 },
  // Below 30% a pulse oximeter reading is not usable (ISO 80601-2-61 specifies accuracy from 70%).
  spo2: { display: 'Oxygen saturation (SpO2)', unit: '%', loinc: '59408-5', min: 30, max: 100 },
  temperature: { display: 'Body temperature', unit: 'Cel', loinc: '8310-5', min: 25, max: 45 },
  systolicBp: {
    display: 'Systolic blood pressure',
    unit: 'mm[Hg]',
    loinc: '8480-6',
    min: 30,
    max: 300,
  },
  diastolicBp: {
    display: 'Diastolic blood pressure',
    unit: 'mm[Hg]',
    loinc: '8462-4',
    min: 10,
    max: 200,
  },
} as const satisfies Record<string, VitalSignDefinition>;

export type VitalName = keyof typeof VITAL_SIGNS;

export const VITAL_NAMES = Object.keys(VITAL_SIGNS) as VitalName[];

export type VitalValues = Partial<Record<VitalName, number>>;

/** ACVPU: Alert, new Confusion, responds to Voice, to Pain, Unresponsive (NEWS2, RCP 2017). */
export const CONSCIOUSNESS_LEVELS = ['A', 'C', 'V', 'P', 'U'] as const;
export type ConsciousnessLevel = (typeof CONSCIOUSNESS_LEVELS)[number];

export const BATTERY_RANGE = { unit: '%', min: 0, max: 100 } as const;
