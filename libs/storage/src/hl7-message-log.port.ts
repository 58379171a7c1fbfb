export const HL7_MESSAGE_LOG = Symbol('Hl7MessageLog');

/**
 * The HL7 v2 messages applied and the acknowledgement each was given, by the sender's message
 * control id (MSH-10, with MSH-3/MSH-4): a message sent again is answered as before and applied
 * no second time.
 */
export interface Hl7MessageLog {
  /** The acknowledgement given to this message before, if it was seen. */
  ackOf(key: string): Promise<string | undefined>;
  record(key: string, receivedAt: string, ack: string): Promise<void>;
}
