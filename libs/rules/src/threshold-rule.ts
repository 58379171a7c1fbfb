import type { AlertPriority, VitalName } from '@vigil/contracts';

export type Comparison = 'above' | 'below';

/** A single-vital threshold: breached when the value is strictly above or below `threshold`. */
export interface ThresholdRule {
  readonly vital: VitalName;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly priority: AlertPriority;
  /** The breach must hold this long (device time) before it fires: suppresses motion artifacts. */
  readonly sustainSeconds?: number;
  /** Once firing, the value must come back this far inside the threshold to clear (hysteresis). */
  readonly clearBand?: number;
  /** Where the number comes from, for the clinician reviewing it. */
  readonly source: string;
}

/** A change of at least `change` (units of the vital) within `withinSeconds`. */
export interface RateOfChangeRule {
  readonly vital: VitalName;
  readonly direction: 'rise' | 'fall';
  readonly change: number;
  readonly withinSeconds: number;
  readonly priority: AlertPriority;
  /** The change must persist this long (device time) before it fires, as for thresholds. */
  readonly sustainSeconds?: number;
  readonly source: string;
}

export interface RuleSet {
  readonly thresholds: readonly ThresholdRule[];
  readonly rates: readonly RateOfChangeRule[];
}

/** The condition a rule belongs to: every threshold on one vital in one direction is one condition. */
export function conditionOf(rule: Pick<ThresholdRule, 'vital' | 'comparison'>): string {
  return `${rule.vital}.${rule.comparison}`;
}

export function rateConditionOf(rule: Pick<RateOfChangeRule, 'vital' | 'direction'>): string {
  return `${rule.vital}.${rule.direction}`;
}

/**
 * A patient's rules: the defaults, with every condition an override names replaced by the
 * overrides for it (a COPD patient's SpO2 rules replace the default SpO2 rules, and nothing else).
 */
export function withOverrides(defaults: RuleSet, overrides: readonly ThresholdRule[]): RuleSet {
  if (overrides.length === 0) return defaults;
  const replaced = new Set(overrides.map(conditionOf));
  return {
    thresholds: [
      ...defaults.thresholds.filter((rule) => !replaced.has(conditionOf(rule))),
      ...overrides,
    ],
    rates: defaults.rates,
  };
}
