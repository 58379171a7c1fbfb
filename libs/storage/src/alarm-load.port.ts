/** The alarms raised on one ward within [from, to), and the pauses and standbys set there. */
export interface AlarmLoadQuery {
  readonly ward: string;
  /** Epoch ms. */
  readonly from: number;
  readonly to: number;
  /** Read at most this many alarms, so a report's work is bounded; more is `truncated`. */
  readonly limit: number;
}

/** One alarm, as much of it as the report needs. */
export interface AlarmLoadAlert {
  readonly rule: string;
  readonly category: string;
  readonly priority: 'high' | 'medium' | 'low';
  /** Empty for the ward's own alarms. */
  readonly patientId: string;
  readonly raisedAt: number;
  readonly acknowledgedAt: number | null;
  readonly resolvedAt: number | null;
  readonly resolvedReason: string | null;
}

export interface AlarmLoadInactivation {
  readonly kind: 'pause' | 'standby';
  readonly patientId: string;
  readonly scope: string | null;
  /** Epoch ms. */
  readonly from: number;
  readonly until: number;
}

export interface AlarmLoadRows {
  readonly alerts: AlarmLoadAlert[];
  readonly inactivations: AlarmLoadInactivation[];
  /** The time patients lay on the ward within the period, summed (ms): the report's denominator. */
  readonly patientMs: number;
  /** More alarms were raised than `limit`; the report covers the first `limit`. */
  readonly truncated: boolean;
}
