import type { AlertPriority, VitalName } from '@vigil/contracts';

export type Comparison = 'above' | 'below';

/** A single-vital threshold: breached when the value is strictly above or below `threshold`. */
export interface ThresholdRule {
  readonly vital: VitalName;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly priority: AlertPriority;
  /** Where the number comes from, for the clinician reviewing it. */
  readonly source: string;
}

/** The condition a rule belongs to: every rule on one vital in one direction is one condition. */
export function conditionOf(rule: Pick<ThresholdRule, 'vital' | 'comparison'>): string {
  return `${rule.vital}.${rule.comparison}`;
}
