import { PRIORITY_RANK, type VitalValues } from '@vigil/contracts';
import { conditionOf, type ThresholdRule } from './threshold-rule';

/** The worst rule of one condition that a value breaches. */
export interface Breach {
  readonly condition: string;
  readonly rule: ThresholdRule;
  readonly value: number;
}

export interface Evaluation {
  readonly breaches: readonly Breach[];
  /** Conditions whose vital was measured in this sample and breached none of their rules. */
  readonly cleared: readonly string[];
}

function isBreached(rule: ThresholdRule, value: number): boolean {
  return rule.comparison === 'above' ? value > rule.threshold : value < rule.threshold;
}

/** Of two breached rules in one condition, the higher priority wins, then the more extreme threshold. */
function worse(a: ThresholdRule, b: ThresholdRule): ThresholdRule {
  if (a.priority !== b.priority)
    return PRIORITY_RANK[a.priority] > PRIORITY_RANK[b.priority] ? a : b;
  const aIsMoreExtreme =
    a.comparison === 'above' ? a.threshold > b.threshold : a.threshold < b.threshold;
  return aIsMoreExtreme ? a : b;
}

/** Evaluates one sample's vitals against threshold rules. Pure: same input, same output. */
export function evaluateSample(vitals: VitalValues, rules: readonly ThresholdRule[]): Evaluation {
  const worst = new Map<string, ThresholdRule>();
  const measured = new Set<string>();
  for (const rule of rules) {
    const value = vitals[rule.vital];
    if (value === undefined) continue;
    const condition = conditionOf(rule);
    measured.add(condition);
    if (!isBreached(rule, value)) continue;
    const current = worst.get(condition);
    worst.set(condition, current ? worse(current, rule) : rule);
  }
  const breaches = [...worst].map(([condition, rule]) => ({
    condition,
    rule,
    value: vitals[rule.vital] as number,
  }));
  const cleared = [...measured].filter((condition) => !worst.has(condition));
  return { breaches, cleared };
}
