import type { VitalName } from '@vigil/contracts';
import type { RateOfChangeRule, RuleSet, ThresholdRule } from './threshold-rule';

const NEWS2 = 'RCP NEWS2 (2017), chart 1';
const NEWS2_RED = `${NEWS2}: single parameter scores 3, urgent review`;
const NEWS2_TWO = `${NEWS2}: parameter scores 2`;
const NEWS2_ONE = `${NEWS2}: parameter scores 1`;

/**
 * Default adult thresholds. A NEWS2 parameter score of 3 (a "red score") maps to high priority,
 * 2 to medium and 1 to low, so the bedside alarm agrees with the early warning chart a ward
 * already uses. SpO2 uses Scale 1; patients with hypercapnic respiratory failure need a
 * per-patient override (Scale 2, target 88-92%).
 */
const NEWS2_THRESHOLDS: readonly Omit<ThresholdRule, 'sustainSeconds' | 'clearBand'>[] = [
  {
    vital: 'respRate',
    comparison: 'below',
    threshold: 9,
    priority: 'high',
    source: `${NEWS2_RED} (<=8/min)`,
  },
  {
    vital: 'respRate',
    comparison: 'above',
    threshold: 24,
    priority: 'high',
    source: `${NEWS2_RED} (>=25/min)`,
  },
  {
    vital: 'respRate',
    comparison: 'above',
    threshold: 20,
    priority: 'medium',
    source: `${NEWS2_TWO} (21-24/min)`,
  },
  {
    vital: 'spo2',
    comparison: 'below',
    threshold: 92,
    priority: 'high',
    source: `${NEWS2_RED} (Scale 1, <=91%)`,
  },
  {
    vital: 'spo2',
    comparison: 'below',
    threshold: 94,
    priority: 'medium',
    source: `${NEWS2_TWO} (Scale 1, 92-93%)`,
  },
  {
    vital: 'heartRate',
    comparison: 'below',
    threshold: 41,
    priority: 'high',
    source: `${NEWS2_RED} (<=40/min)`,
  },
  {
    vital: 'heartRate',
    comparison: 'above',
    threshold: 130,
    priority: 'high',
    source: `${NEWS2_RED} (>=131/min)`,
  },
  {
    vital: 'heartRate',
    comparison: 'above',
    threshold: 110,
    priority: 'medium',
    source: `${NEWS2_TWO} (111-130/min)`,
  },
  {
    vital: 'heartRate',
    comparison: 'below',
    threshold: 51,
    priority: 'low',
    source: `${NEWS2_ONE} (41-50/min)`,
  },
  {
    vital: 'systolicBp',
    comparison: 'below',
    threshold: 91,
    priority: 'high',
    source: `${NEWS2_RED} (<=90 mmHg)`,
  },
  {
    vital: 'systolicBp',
    comparison: 'above',
    threshold: 219,
    priority: 'high',
    source: `${NEWS2_RED} (>=220 mmHg)`,
  },
  {
    vital: 'systolicBp',
    comparison: 'below',
    threshold: 101,
    priority: 'medium',
    source: `${NEWS2_TWO} (91-100 mmHg)`,
  },
  {
    vital: 'diastolicBp',
    comparison: 'above',
    threshold: 120,
    priority: 'high',
    source: '2017 ACC/AHA high blood pressure guideline: hypertensive crisis, diastolic >120 mmHg',
  },
  {
    vital: 'temperature',
    comparison: 'below',
    threshold: 35.1,
    priority: 'high',
    source: `${NEWS2_RED} (<=35.0 Cel)`,
  },
  {
    vital: 'temperature',
    comparison: 'above',
    threshold: 39,
    priority: 'medium',
    source: `${NEWS2_TWO} (>=39.1 Cel)`,
  },
  {
    vital: 'temperature',
    comparison: 'above',
    threshold: 38,
    priority: 'low',
    source: `${NEWS2_ONE} (38.1-39.0 Cel)`,
  },
  {
    vital: 'temperature',
    comparison: 'below',
    threshold: 36.1,
    priority: 'low',
    source: `${NEWS2_ONE} (35.1-36.0 Cel)`,
  },
];

/**
 * How long a breach must hold before it fires, and how far back inside the threshold a firing
 * condition must come to clear. SpO2: a 15 s delay removed most nuisance alarms without missing
 * real desaturations (Welch J., Biomed Instrum Technol 2011, "An evidence-based approach to reduce
 * nuisance alarms and alarm fatigue"). Heart and respiratory rate: shorter, as bedside monitors
 * default to. Blood pressure and temperature are discrete readings: no delay.
 */
export const ALARM_TIMING: Record<VitalName, { sustainSeconds: number; clearBand: number }> = {
  spo2: { sustainSeconds: 15, clearBand: 1 },
  heartRate: { sustainSeconds: 10, clearBand: 5 },
  respRate: { sustainSeconds: 15, clearBand: 2 },
  systolicBp: { sustainSeconds: 0, clearBand: 5 },
  diastolicBp: { sustainSeconds: 0, clearBand: 5 },
  temperature: { sustainSeconds: 0, clearBand: 0.2 },
};

export const DEFAULT_THRESHOLDS: readonly ThresholdRule[] = NEWS2_THRESHOLDS.map((rule) => ({
  ...rule,
  ...ALARM_TIMING[rule.vital],
}));

export const DEFAULT_RATE_RULES: readonly RateOfChangeRule[] = [
  {
    vital: 'heartRate',
    direction: 'rise',
    change: 30,
    withinSeconds: 600,
    priority: 'medium',
    sustainSeconds: 60,
    source: 'Vigil default, for clinical review: an unexplained rise of 30/min within 10 minutes',
  },
  {
    vital: 'systolicBp',
    direction: 'fall',
    change: 40,
    withinSeconds: 3600,
    priority: 'high',
    source:
      'SIRS/sepsis hypotension criterion: systolic fall > 40 mmHg from baseline (Bone et al., Chest 1992)',
  },
];

export const DEFAULT_RULES: RuleSet = { thresholds: DEFAULT_THRESHOLDS, rates: DEFAULT_RATE_RULES };
