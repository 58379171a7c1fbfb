/** The outbound HL7 interface to the EHR (IHE PCD-01 over MLLP), from HL7_OUT_* settings. */
export const HL7_OUT_OPTIONS = Symbol('Hl7OutOptions');

export interface Hl7OutOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly ca?: Buffer };
  /** The charting interval of a ward not listed in `wardIntervalsMs`. */
  readonly intervalMs: number;
  readonly wardIntervalsMs: Readonly<Record<string, number>>;
  /** How long after an interval's end its samples are read: a device may send a little late. */
  readonly graceMs: number;
  readonly ackTimeoutMs: number;
  readonly retryMaxMs: number;
  /** A ward whose oldest unacknowledged message is older than this raises HL7_STALLED. */
  readonly alarmAfterMs: number;
  readonly receiver?: { readonly application: string; readonly facility: string };
}
