import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { MllpDecoder, mllpFrame } from './mllp-framing';

export interface MllpClientOptions {
  readonly host: string;
  readonly port: number;
  /** Over TLS, trusting these CAs (the system's when absent). */
  readonly tls?: { readonly ca?: Buffer };
  readonly ackTimeoutMs: number;
}

/** The receiver's answer to one message: MSA-1, and what it said when it was not `AA`. */
export interface MllpAnswer {
  readonly code: string;
  readonly text: string;
}

/** An ACK is small; anything longer than this is not one. */
const MAX_ACK_BYTES = 64 * 1024;

export class MllpSendError extends Error {}

/**
 * Sends one HL7 message at a time over MLLP and waits for its ACK (HL7 v2.6 Appendix C). The
 * connection is opened when needed and kept; a timeout or a broken frame closes it, so a late
 * ACK is never taken for the next message's.
 */
export class MllpClient {
  private socket: Socket | undefined;
  private decoder = new MllpDecoder(MAX_ACK_BYTES);
  private waiting: { resolve(ack: string): void; reject(error: Error): void } | undefined;

  constructor(private readonly options: MllpClientOptions) {}

  /** @throws MllpSendError when the peer cannot be reached, closes, or does not answer in time. */
  async send(message: string, controlId: string): Promise<MllpAnswer> {
    const socket = await this.connected();
    const ack = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.drop();
        reject(new MllpSendError(`no ACK within ${this.options.ackTimeoutMs} ms`));
      }, this.options.ackTimeoutMs);
      this.waiting = {
        resolve: (text) => {
          clearTimeout(timer);
          resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      socket.write(mllpFrame(message));
    });
    return answerOf(ack, controlId);
  }

  close(): void {
    this.drop();
  }

  private async connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const { host, port, tls } = this.options;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opened: Socket = tls
        ? connectTls(
            // SNI names a host, never an address (RFC 6066 §3); the certificate is checked either way.
            {
              host,
              port,
              ...(isIP(host) === 0 && { servername: host }),
              ...(tls.ca && { ca: tls.ca }),
            },
            () => resolve(opened),
          )
        : connectTcp({ host, port }, () => resolve(opened));
      opened.setTimeout(this.options.ackTimeoutMs, () =>
        opened.destroy(new Error(`connecting to ${host}:${port} timed out`)),
      );
      opened.once('error', (error) => reject(new MllpSendError(error.message)));
    });
    socket.setTimeout(0);
    socket.setKeepAlive(true, 30_000);
    this.decoder = new MllpDecoder(MAX_ACK_BYTES);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of this.decoder.push(chunk)) {
          const waiting = this.waiting;
          this.waiting = undefined;
          waiting?.resolve(frame.toString('utf8'));
        }
      } catch (error) {
        this.fail(new MllpSendError(`broken MLLP frame from the peer: ${String(error)}`));
      }
    });
    socket.on('error', (error) => this.fail(new MllpSendError(error.message)));
    socket.on('close', () => this.fail(new MllpSendError('the peer closed the connection')));
    this.socket = socket;
    return socket;
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.drop();
    waiting?.reject(error);
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }
}

/** Reads MSA: an ACK for another message than the one sent is no answer to it. */
export function answerOf(ack: string, controlId: string): MllpAnswer {
  let parsed: Hl7Message;
  try {
    parsed = Hl7Message.parse(ack);
  } catch {
    throw new MllpSendError('the answer is not an HL7 message');
  }
  const msa = parsed.getSegment('MSA');
  if (!msa) throw new MllpSendError('the answer has no MSA segment');
  // A field the answer leaves out is no field at all to Medplum's parser.
  const field = (segment: Hl7Segment | undefined, index: number) =>
    segment?.getField(index)?.toString() ?? '';
  const code = field(msa, 1);
  const answered = field(msa, 2);
  if (answered !== controlId) throw new MllpSendError(`an ACK for ${answered}, not ${controlId}`);
  const text = [field(msa, 3), field(parsed.getSegment('ERR'), 8)].filter(Boolean).join('; ');
  return { code, text };
}
