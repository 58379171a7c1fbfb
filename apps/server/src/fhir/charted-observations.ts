import type {
  Observation as FhirObservation,
  ObservationComponent,
  Quantity,
  Reference,
} from '@medplum/fhirtypes';
import type {
  ConsciousnessLevel,
  Observation as NurseObservation,
  Sample,
  VitalName,
} from '@vigil/contracts';
import {
  NEWS2_FRESHNESS_MS,
  scoreNews2,
  type News2Inputs,
  type News2Parameter,
  type Spo2Scale,
} from '@vigil/rules';
import {
  ACVPU_CODING,
  KIND,
  PROFILE_BASE,
  SYSTEM,
  categoryOf,
  ucumOf,
  type KindName,
} from './fhir-codes';
import {
  encounterIdOf,
  fhirIdOf,
  observationIdOf,
  shortKeyOf,
  type ObservationOrigin,
} from './fhir-ids';

/** What Vigil knows of the patient when it charts one of her samples or sets. */
export interface ChartingContext {
  readonly patientId: string;
  readonly spo2Scale: Spo2Scale;
  /** The stay she was in at a time, if any. */
  readonly stayAt: (ts: number) => string | undefined;
}

/** An Observation with its place in a listing: time, then origin, then kind. */
export interface ChartedObservation {
  readonly ts: number;
  readonly sortKey: string;
  readonly kind: KindName;
  readonly resource: FhirObservation;
}

/** One sample or one nurse's set: the values taken together at one time. */
interface TakenTogether {
  readonly origin: ObservationOrigin;
  /** Orders sets taken at the same time: the device or the set. */
  readonly originKey: string;
  readonly ts: number;
  readonly vitals: Partial<Record<VitalName, number>>;
  readonly consciousness?: ConsciousnessLevel;
  readonly onOxygen?: boolean;
  readonly deviceId?: string;
  readonly performer?: string;
  readonly issued?: string;
  readonly enteredInError: boolean;
}

export function chartSample(
  sample: Sample,
  context: ChartingContext,
  wanted: KindFilter = everyKind,
): ChartedObservation[] {
  return chart(
    {
      origin: {
        from: 'device',
        patientKey: shortKeyOf(sample.patientId),
        ts: sample.ts,
        deviceKey: shortKeyOf(sample.deviceId),
      },
      originKey: `d:${sample.deviceId}`,
      ts: sample.ts,
      vitals: sample.vitals,
      ...(sample.consciousness !== undefined && { consciousness: sample.consciousness }),
      ...(sample.onOxygen !== undefined && { onOxygen: sample.onOxygen }),
      deviceId: sample.deviceId,
      enteredInError: false,
    },
    context,
    wanted,
  );
}

export function chartNurseSet(
  set: NurseObservation,
  context: ChartingContext,
  wanted: KindFilter = everyKind,
): ChartedObservation[] {
  const { consciousness, onOxygen, ...vitals } = set.vitals;
  return chart(
    {
      origin: { from: 'nurse', observationId: set.id },
      originKey: `n:${set.id}`,
      ts: Date.parse(set.effectiveAt),
      vitals,
      ...(consciousness !== undefined && { consciousness }),
      ...(onOxygen !== undefined && { onOxygen }),
      performer: set.recordedBy,
      issued: set.recordedAt,
      enteredInError: set.enteredInError !== undefined,
    },
    context,
    wanted,
  );
}

const quantity = (vital: VitalName, value: number): Quantity => ({
  value,
  unit: ucumOf(vital),
  system: SYSTEM.ucum,
  code: ucumOf(vital),
});

const NEWS2_OF_KIND: Readonly<Partial<Record<KindName, News2Parameter>>> = {
  respRate: 'respRate',
  spo2: 'spo2',
  airOrOxygen: 'airOrOxygen',
  heartRate: 'heartRate',
  consciousness: 'consciousness',
  temperature: 'temperature',
};

/** Which kinds to build; the others are only counted, so ids and order stay the same. */
export type KindFilter = (kind: KindName) => boolean;

const everyKind: KindFilter = () => true;

function chart(
  taken: TakenTogether,
  context: ChartingContext,
  wanted: KindFilter,
): ChartedObservation[] {
  const stayId = context.stayAt(taken.ts);
  const idOf = (kind: KindName) => observationIdOf(kind, taken.origin);
  const base = (kind: KindName): FhirObservation => ({
    resourceType: 'Observation',
    id: idOf(kind),
    ...(KIND[kind].profile && {
      meta: {
        profile: [`${PROFILE_BASE}vitalsigns`, `${PROFILE_BASE}${KIND[kind].profile}`],
      },
    }),
    status: taken.enteredInError ? 'entered-in-error' : 'final',
    category: categoryOf(KIND[kind].category),
    code: KIND[kind].code,
    subject: { reference: `Patient/${fhirIdOf(context.patientId)}` },
    ...(stayId !== undefined && {
      encounter: { reference: `Encounter/${encounterIdOf(context.patientId, stayId)}` },
    }),
    effectiveDateTime: new Date(taken.ts).toISOString(),
    ...(taken.issued !== undefined && { issued: taken.issued }),
    ...(taken.performer !== undefined && { performer: [{ display: taken.performer }] }),
    ...(taken.deviceId !== undefined && {
      device: { reference: `Device/${fhirIdOf(taken.deviceId)}` },
    }),
  });

  // Each kind present, with how to build its resource: only the wanted ones are built.
  const present: [KindName, () => FhirObservation][] = [];
  const { vitals } = taken;
  for (const vital of ['heartRate', 'respRate', 'spo2', 'temperature'] as const) {
    const value = vitals[vital];
    if (value !== undefined)
      present.push([vital, () => ({ ...base(vital), valueQuantity: quantity(vital, value) })]);
  }
  const { systolicBp, diastolicBp } = vitals;
  if (systolicBp !== undefined && diastolicBp !== undefined) {
    present.push([
      'bloodPressure',
      () => ({
        ...base('bloodPressure'),
        component: [
          { code: KIND.systolicBp.code, valueQuantity: quantity('systolicBp', systolicBp) },
          { code: KIND.diastolicBp.code, valueQuantity: quantity('diastolicBp', diastolicBp) },
        ],
      }),
    ]);
  } else if (systolicBp !== undefined) {
    present.push([
      'systolicBp',
      () => ({ ...base('systolicBp'), valueQuantity: quantity('systolicBp', systolicBp) }),
    ]);
  } else if (diastolicBp !== undefined) {
    present.push([
      'diastolicBp',
      () => ({ ...base('diastolicBp'), valueQuantity: quantity('diastolicBp', diastolicBp) }),
    ]);
  }
  if (present.length > 0) {
    const members = present.map(([kind]) => ({ reference: `Observation/${idOf(kind)}` }));
    present.push(['vitalsPanel', () => ({ ...base('vitalsPanel'), hasMember: members })]);
  }
  const { consciousness, onOxygen } = taken;
  if (consciousness !== undefined) {
    present.push([
      'consciousness',
      () => ({
        ...base('consciousness'),
        valueCodeableConcept: { coding: [ACVPU_CODING[consciousness]], text: consciousness },
      }),
    ]);
  }
  if (onOxygen !== undefined)
    present.push(['airOrOxygen', () => ({ ...base('airOrOxygen'), valueBoolean: onOxygen })]);
  if (wanted('news2')) {
    const news2 = news2Of(
      taken,
      context,
      present.map(([kind]) => kind),
      idOf,
      base('news2'),
    );
    if (news2) present.push(['news2', () => news2]);
  }
  return present.flatMap(([kind, build], index) =>
    wanted(kind)
      ? [
          {
            ts: taken.ts,
            sortKey: `${taken.originKey}\u0000${String(index).padStart(2, '0')}`,
            kind,
            resource: build(),
          },
        ]
      : [],
  );
}

/**
 * NEWS2 of the values taken together, only when they complete it: a score pieced together from
 * values taken at different times is the console's live view, not a charted score.
 */
function news2Of(
  taken: TakenTogether,
  context: ChartingContext,
  kinds: readonly KindName[],
  idOf: (kind: KindName) => string,
  base: FhirObservation,
): FhirObservation | undefined {
  const at = <T>(value: T | undefined) =>
    value === undefined ? undefined : { value, ts: taken.ts };
  const inputs: News2Inputs = {
    respRate: at(taken.vitals.respRate),
    spo2: at(taken.vitals.spo2),
    onOxygen: at(taken.onOxygen),
    systolicBp: at(taken.vitals.systolicBp),
    heartRate: at(taken.vitals.heartRate),
    consciousness: at(taken.consciousness),
    temperature: at(taken.vitals.temperature),
  };
  const score = scoreNews2(inputs, context.spo2Scale, taken.ts, NEWS2_FRESHNESS_MS);
  if (!score.complete) return undefined;
  const component: ObservationComponent[] = [];
  const derivedFrom: Reference<FhirObservation>[] = [];
  for (const kind of kinds) {
    const parameter =
      NEWS2_OF_KIND[kind] ??
      (kind === 'bloodPressure' || kind === 'systolicBp' ? 'systolicBp' : undefined);
    if (parameter === undefined) continue;
    derivedFrom.push({ reference: `Observation/${idOf(kind)}` });
    const scored = parameter === 'systolicBp' ? KIND.systolicBp : KIND[kind];
    component.push({
      code: { coding: scored.code.coding, text: `${scored.code.text}: NEWS2 subscore` },
      valueInteger: score.subscores[parameter],
    });
  }
  return {
    ...base,
    valueInteger: score.total,
    interpretation: [{ text: `${score.risk} (NEWS2 SpO2 scale ${score.scale})` }],
    component,
    derivedFrom,
  };
}
