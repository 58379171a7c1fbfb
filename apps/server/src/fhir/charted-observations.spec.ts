import type { Observation as NurseObservation, Sample } from '@vigil/contracts';
import { profileProblems } from '../../../../test/support/fhir-profiles';
import { chartNurseSet, chartSample, type ChartingContext } from './charted-observations';
import { parseObservationId } from './fhir-ids';

const at = Date.parse('2026-12-02T10:00:00.000Z');
const context: ChartingContext = {
  patientId: 'p_1',
  spo2Scale: 1,
  stayAt: () => 'stay-1',
};
const fullSample: Sample = {
  patientId: 'p_1',
  deviceId: 'wear-7',
  ts: at,
  seq: 1,
  vitals: {
    heartRate: 112,
    respRate: 23,
    spo2: 93,
    temperature: 38.4,
    systolicBp: 98,
    diastolicBp: 61,
  },
  consciousness: 'C',
  onOxygen: false,
};

describe('charting a sample as FHIR R4 Observations', () => {
  const charted = chartSample(fullSample, context);
  const byKind = new Map(charted.map((entry) => [entry.kind, entry.resource]));

  it('charts each vital sign, the panels, ACVPU, air or oxygen and the complete NEWS2', () => {
    expect(charted.map((entry) => entry.kind)).toEqual([
      'heartRate',
      'respRate',
      'spo2',
      'temperature',
      'bloodPressure',
      'vitalsPanel',
      'consciousness',
      'airOrOxygen',
      'news2',
    ]);
  });

  it('conforms to R4 and to the vital-signs profiles each Observation claims', () => {
    for (const { resource } of charted)
      expect([resource.id, profileProblems(resource)]).toEqual([resource.id, []]);
    expect(byKind.get('heartRate')?.meta?.profile).toEqual([
      'http://hl7.org/fhir/StructureDefinition/vitalsigns',
      'http://hl7.org/fhir/StructureDefinition/heartrate',
    ]);
  });

  it('is caught by the profile checks when a unit or a component is wrong', () => {
    const heartRate = byKind.get('heartRate');
    const bp = byKind.get('bloodPressure');
    if (!heartRate?.valueQuantity || !bp?.component) throw new Error('missing');
    expect(
      profileProblems({ ...heartRate, valueQuantity: { ...heartRate.valueQuantity, code: 'bpm' } }),
    ).toEqual(['heartrate: valueQuantity must be UCUM /min']);
    expect(profileProblems({ ...bp, component: [bp.component[0], bp.component[0]] })).toContain(
      'bp: one component 8462-4 in UCUM mm[Hg] is required',
    );
    expect(
      profileProblems({
        ...heartRate,
        code: { coding: [{ system: 'http://loinc.org', code: '1-1' }] },
      }).length,
    ).toBeGreaterThan(0);
  });

  it('scores NEWS2 from the sample, its subscores as components, derived from its inputs', () => {
    const news2 = byKind.get('news2');
    // HR 112 → 2, RR 23 → 2, SpO2 93 → 2, 38.4 °C → 1, SBP 98 → 2, C → 3, air → 0.
    expect(news2?.valueInteger).toBe(12);
    expect(news2?.component?.map((component) => component.valueInteger)).toEqual([
      2, 2, 2, 1, 2, 3, 0,
    ]);
    expect(news2?.derivedFrom?.map((reference) => reference.reference)).toEqual(
      [
        'heartRate',
        'respRate',
        'spo2',
        'temperature',
        'bloodPressure',
        'consciousness',
        'airOrOxygen',
      ].map((kind) => `Observation/${byKind.get(kind as never)?.id}`),
    );
  });

  it('charts no NEWS2 when the sample cannot complete it', () => {
    const partial = chartSample({ ...fullSample, consciousness: undefined }, context);
    expect(partial.map((entry) => entry.kind)).not.toContain('news2');
  });

  it('gives ids that name the kind, the patient, the time and the device, the same every time', () => {
    const again = chartSample(fullSample, context);
    expect(again.map((entry) => entry.resource.id)).toEqual(
      charted.map((entry) => entry.resource.id),
    );
    const id = byKind.get('heartRate')?.id as string;
    expect(id.length).toBeLessThanOrEqual(64);
    expect(parseObservationId(id)).toEqual({
      kind: 'heartRate',
      origin: {
        from: 'device',
        patientKey: expect.any(String),
        ts: at,
        deviceKey: expect.any(String),
      },
    });
    expect(byKind.get('heartRate')?.subject?.reference).toMatch(/^Patient\/h-[0-9a-f]{40}$/);
    expect(byKind.get('heartRate')?.device?.reference).toBe('Device/wear-7');
    expect(byKind.get('heartRate')?.encounter?.reference).toMatch(
      /^Encounter\/[0-9a-f]{12}\.stay-1$/,
    );
  });

  it('builds only the kinds asked for, with the ids and order they have among all', () => {
    const onlyNews2 = chartSample(fullSample, context, (kind) => kind === 'news2');
    const all = charted.filter((entry) => entry.kind === 'news2');
    expect(onlyNews2.map((entry) => [entry.sortKey, entry.resource])).toEqual(
      all.map((entry) => [entry.sortKey, entry.resource]),
    );
  });

  it('charts a pressure without its other half on its own, not as a panel', () => {
    const kinds = chartSample(
      { patientId: 'p_1', deviceId: 'wear-7', ts: at, seq: 2, vitals: { systolicBp: 120 } },
      context,
    ).map((entry) => entry.kind);
    expect(kinds).toEqual(['systolicBp', 'vitalsPanel']);
  });
});

describe("charting a nurse's set", () => {
  const set: NurseObservation = {
    id: '5b0f0c1e-6f0e-4c55-9a57-8f7f2f3d2a10',
    patientId: 'p_1',
    stayId: 'stay-1',
    effectiveAt: '2026-12-02T10:05:00.000Z',
    recordedAt: '2026-12-02T10:07:00.000Z',
    recordedBy: 'nurse.ward7',
    late: false,
    vitals: { respRate: 18, spo2: 97, systolicBp: 124, diastolicBp: 80 },
    news2: { total: 0, risk: 'low', complete: false },
  };

  it('names the nurse who took it, and charts no NEWS2 her set does not complete', () => {
    const charted = chartNurseSet(set, context);
    expect(charted.map((entry) => entry.kind)).toEqual([
      'respRate',
      'spo2',
      'bloodPressure',
      'vitalsPanel',
    ]);
    for (const { resource } of charted) {
      expect(resource.performer).toEqual([{ display: 'nurse.ward7' }]);
      expect(resource.device).toBeUndefined();
      expect(profileProblems(resource)).toEqual([]);
    }
    expect(parseObservationId(charted[0].resource.id as string)).toEqual({
      kind: 'respRate',
      origin: { from: 'nurse', observationId: set.id },
    });
  });

  it('marks every Observation of a retracted set entered-in-error', () => {
    const retracted = chartNurseSet(
      {
        ...set,
        enteredInError: { at: set.recordedAt, by: 'nurse.ward7', reason: 'wrong patient' },
      },
      context,
    );
    expect(new Set(retracted.map((entry) => entry.resource.status))).toEqual(
      new Set(['entered-in-error']),
    );
  });
});
