export const HL7_OUTBOX = Symbol('Hl7Outbox');

/** A message for the EHR, waiting for its ACK. */
export interface Hl7OutboundMessage {
  /** Order of queuing: a patient's messages go in this order. */
  readonly seq: number;
  readonly patientId: string;
  /** Her ward when it was charted: where a stalled interface is alarmed. */
  readonly ward: string;
  /** MSH-10, unique: the same interval always carries the same id. */
  readonly controlId: string;
  readonly message: string;
  /** Epoch milliseconds. */
  readonly queuedAt: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError?: string;
}

export type NewHl7Message = Pick<Hl7OutboundMessage, 'ward' | 'controlId' | 'message' | 'queuedAt'>;

/**
 * The outbound HL7 interface's durable state: what has been charted for each patient, up to when,
 * and the messages not yet acknowledged. A message is queued in the same transaction that moves
 * its patient's mark, so an interval is queued once, whatever stops in between.
 */
export interface Hl7Outbox {
  /** Each patient's mark: epoch ms up to which her data has been charted. */
  marks(): Promise<Map<string, number>>;
  /** Moves a patient's mark, queuing the interval's message if it has one. */
  chart(patientId: string, chartedUntil: number, message: NewHl7Message | undefined): Promise<void>;
  /**
   * The oldest messages due by `now` that are first in their patient's queue, at most `limit`,
   * oldest first: a patient's later messages wait for her earlier one, other patients' do not.
   */
  dueHeads(now: number, limit: number): Promise<Hl7OutboundMessage[]>;
  /** The earliest time any first-in-queue message is due, if any is queued. */
  nextAttemptAt(): Promise<number | undefined>;
  acknowledged(seq: number): Promise<void>;
  failed(seq: number, nextAttemptAt: number, error: string): Promise<void>;
  /** Per ward, when its oldest unacknowledged message was queued. */
  oldestByWard(): Promise<Map<string, number>>;
  depth(): Promise<number>;
}
