// Proves the evaluator keeps the freshest NEWS2 input when a buffered older sample arrives late.
// The alerts service, directory and rule-state store are stand-ins: this checks the evaluator.
import { OwnsEveryPatient, type AlertsService } from '@vigil/alerts';
import type { Sample } from '@vigil/contracts';
import { DEFAULT_RULES } from '@vigil/rules';
import type { RuleStateStore } from '@vigil/storage';
import { ClinicalEvaluator } from './clinical-evaluator';
import type { ClinicalProfiles } from './clinical-profiles.port';
import { TrendWatch } from './trend-watch';

describe('ClinicalEvaluator (stand-ins for alerts, directory and state store)', () => {
  const alerts = {
    breach: async () => undefined,
    clear: async () => undefined,
    openAlerts: () => [],
    hasOpen: () => false,
  } as unknown as AlertsService;
  const directory = {
    profileOf: () => ({ spo2Scale: 1, rules: DEFAULT_RULES }),
  } as unknown as ClinicalProfiles;
  const store = {
    loadAll: async () => new Map(),
    save: async () => undefined,
  } as unknown as RuleStateStore;
  const sample = (ts: number, vitals: Sample['vitals']): Sample => ({
    patientId: 'p1',
    deviceId: 'd1',
    ts,
    seq: ts,
    vitals,
  });

  it("saves every patient's rule state in one call at shutdown", async () => {
    const batches: [string, unknown][][] = [];
    const recording = {
      loadAll: async () => new Map(),
      save: async () => undefined,
      saveAll: async (states: Iterable<[string, unknown]>) => void batches.push([...states]),
    };
    const evaluator = new ClinicalEvaluator(
      directory,
      alerts,
      recording as unknown as RuleStateStore,
      new OwnsEveryPatient(),
      new TrendWatch(directory, alerts),
    );
    evaluator.evaluate({ ...sample(Date.now(), { heartRate: 80 }), patientId: 'p1' });
    evaluator.evaluate({ ...sample(Date.now(), { heartRate: 81 }), patientId: 'p2' });
    await evaluator.onModuleDestroy();
    expect(batches.map((batch) => batch.map(([id]) => id))).toEqual([['p1', 'p2']]);
  });

  it('saves the rule state when a condition changes, not on every sample', () => {
    const saved: unknown[] = [];
    const recording = {
      loadAll: async () => new Map(),
      save: async (_id: string, state: unknown) => void saved.push(state),
    };
    const evaluator = new ClinicalEvaluator(
      directory,
      alerts,
      recording as unknown as RuleStateStore,
      new OwnsEveryPatient(),
      new TrendWatch(directory, alerts),
    );
    const now = Date.now();
    evaluator.evaluate(sample(now, { spo2: 97 }));
    evaluator.evaluate(sample(now + 1_000, { spo2: 85 }));
    evaluator.evaluate(sample(now + 2_000, { spo2: 85 }));
    expect(saved).toEqual([
      expect.objectContaining({
        conditions: { 'spo2.below': { phase: 'pending', since: now + 1_000 } },
      }),
    ]);
  });

  it('scores from the freshest value even when an older sample arrives afterwards', () => {
    const evaluator = new ClinicalEvaluator(
      directory,
      alerts,
      store,
      new OwnsEveryPatient(),
      new TrendWatch(directory, alerts),
    );
    const now = Date.now();
    evaluator.evaluate(sample(now, { respRate: 16 }));
    const score = evaluator.evaluate(sample(now - 60_000, { respRate: 30, heartRate: 70 }));
    expect(score.subscores).toMatchObject({ respRate: 0, heartRate: 0 });
  });
});
