import { Hl7Message, Hl7Segment } from '@medplum/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HL7_MESSAGE_LOG, type Hl7MessageLog } from '@vigil/storage';
import { BlockList, createServer, isIPv6, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { AdtApplier, type AdtOutcome } from './adt-applier';
import { HL7_ERROR, isAdtProblem, readAdtMessage } from './adt-message';
import { MllpDecoder, MllpFrameError, mllpFrame } from './mllp-framing';

export const HL7_OPTIONS = Symbol('Hl7Options');

export interface Hl7Options {
  readonly port: number;
  readonly host?: string;
  readonly allowedAddresses: readonly string[];
  /** MLLP over TLS with these; with `clientCa`, the sender must present a certificate it signed. */
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer; readonly clientCa?: Buffer };
}

/** An ADT message is a few kilobytes; a megabyte is far past any a PAS sends. */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Interface engines keep one or two connections open; a few more cover a failover. */
const MAX_CONNECTIONS = 16;
/** A connection silent this long is closed; the sender reconnects when it has news. */
const IDLE_TIMEOUT_MS = 10 * 60_000;
/** Messages a connection may have waiting (MLLP senders wait for each ACK). */
const MAX_QUEUED_PER_CONNECTION = 32;

/**
 * The HL7 v2 ADT listener: MLLP over TCP (or TLS), from the addresses allowed only. Each
 * message is applied once, in order, and answered with an ACK: `AA`, `AE` with the reason, or
 * `AR`. A message sent again (same MSH-3, MSH-4 and MSH-10) is answered as the first time and
 * changes nothing.
 */
@Injectable()
export class Hl7ListenerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Hl7Listener');
  private server?: Server;
  private readonly allowed = new BlockList();
  private readonly sockets = new Set<Socket>();
  private tail: Promise<unknown> = Promise.resolve();
  readonly counters = { accepted: 0, errors: 0, rejected: 0, repeats: 0 };

  constructor(
    @Inject(HL7_OPTIONS) private readonly options: Hl7Options,
    @Inject(HL7_MESSAGE_LOG) private readonly log: Hl7MessageLog,
    private readonly applier: AdtApplier,
  ) {
    for (const entry of options.allowedAddresses) {
      const [address, bits] = entry.split('/');
      const family = isIPv6(address) ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.allowed.addAddress(address, family);
      else this.allowed.addSubnet(address, Number(bits), family);
    }
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { tls } = this.options;
    const server = tls
      ? createTlsServer(
          {
            key: tls.key,
            cert: tls.cert,
            ...(tls.clientCa && { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }),
          },
          (socket) => this.accept(socket),
        )
      : createServer((socket) => this.accept(socket));
    server.maxConnections = MAX_CONNECTIONS;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.logger.log(`HL7 v2 ADT over MLLP${tls ? '/TLS' : ''} on port ${this.port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    const address = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const family = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (!this.allowed.check(address, family)) {
      this.logger.warn(`HL7 connection from ${address} refused: not in HL7_ALLOWED_ADDRESSES`);
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.end());
    socket.on('error', (error) => this.logger.warn(`HL7 connection ${address}: ${error.message}`));
    const decoder = new MllpDecoder(MAX_MESSAGE_BYTES);
    let queued = 0;
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        if (!(error instanceof MllpFrameError)) throw error;
        this.logger.warn(`HL7 connection ${address} closed: ${error.message}`);
        socket.destroy();
        return;
      }
      for (const raw of messages) {
        if (++queued > MAX_QUEUED_PER_CONNECTION) {
          this.logger.warn(
            `HL7 connection ${address} closed: more than ${MAX_QUEUED_PER_CONNECTION} messages unanswered`,
          );
          socket.destroy();
          return;
        }
        void this.serially(() => this.answer(raw.toString('utf8'))).then((ack) => {
          queued -= 1;
          if (!socket.destroyed) socket.write(mllpFrame(ack));
        });
      }
    });
  }

  /** The ACK to one message, applying it unless it was seen before. */
  private async answer(text: string): Promise<string> {
    let message: Hl7Message;
    try {
      message = Hl7Message.parse(text.replace(/\r?\n/g, '\r'));
      if (message.header.name !== 'MSH') throw new Error('no MSH segment first');
    } catch (error) {
      this.counters.rejected += 1;
      this.logger.warn(`HL7 message not parsed: ${(error as Error).message}`);
      return unparseableAck((error as Error).message);
    }
    const read = readAdtMessage(message);
    if (isAdtProblem(read) && read.ackCode === 'AR') {
      this.counters.rejected += 1;
      return ackOf(message, read);
    }
    const { header } = message;
    const key = [
      header.getComponent(3, 1),
      header.getComponent(4, 1),
      header.getField(10).toString(),
    ].join('|');
    const previous = await this.log.ackOf(key);
    if (previous !== undefined) {
      this.counters.repeats += 1;
      return previous;
    }
    const outcome: AdtOutcome = isAdtProblem(read) ? read : await this.applier.apply(read);
    if (outcome.ackCode === 'AA') this.counters.accepted += 1;
    else this.counters.errors += 1;
    const ack = ackOf(message, outcome);
    await this.log.record(key, new Date().toISOString(), ack);
    this.logger.log(
      `HL7 ${message.header.getComponent(9, 1)}^${message.header.getComponent(9, 2)} ${key}: ${outcome.ackCode} ${outcome.text}`,
    );
    return ack;
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work).catch((error: unknown) => {
      this.logger.error(`HL7 message failed: ${String(error)}`);
      this.counters.errors += 1;
      return unparseableAck('Vigil could not apply the message', 'AE') as T;
    });
    this.tail = result;
    return result;
  }
}

/** The ACK to a message: MSA-1 the code, MSA-3 the text, and on an error an ERR segment. */
function ackOf(message: Hl7Message, outcome: AdtOutcome): string {
  const ack = message.buildAck({ ackCode: outcome.ackCode });
  ack.getSegment('MSA')?.setField(3, escape(outcome.text, message));
  if (outcome.ackCode !== 'AA') {
    ack.segments.push(
      new Hl7Segment(
        [
          'ERR',
          '',
          outcome.location ?? '',
          `${outcome.errorCode}^${escape(outcome.text, message)}^HL70357`,
          'E',
        ],
        message.context,
      ),
    );
  }
  return ack.toString();
}

/** An ACK to what could not be read as HL7 at all: no header to answer from. */
function unparseableAck(reason: string, code: 'AE' | 'AR' = 'AR'): string {
  const now = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const text = reason.replace(/[|^~\\&\r\n]/g, ' ').slice(0, 200);
  return [
    `MSH|^~\\&|VIGIL||||${now}||ACK|${now}|P|2.5`,
    `MSA|${code}||${text}`,
    `ERR|||${HL7_ERROR.applicationInternalError}^${text}^HL70357|E`,
  ].join('\r');
}

/** Text in an HL7 field, with the message's own delimiters escaped (HL7 v2 section 2.7). */
function escape(text: string, message: Hl7Message): string {
  const {
    fieldSeparator,
    componentSeparator,
    repetitionSeparator,
    escapeCharacter,
    subcomponentSeparator,
  } = message.context;
  const codes: Record<string, string> = {
    [escapeCharacter]: 'E',
    [fieldSeparator]: 'F',
    [componentSeparator]: 'S',
    [repetitionSeparator]: 'R',
    [subcomponentSeparator]: 'T',
  };
  return [...text.replace(/[\r\n]/g, ' ')]
    .map((char) => (codes[char] ? `${escapeCharacter}${codes[char]}${escapeCharacter}` : char))
    .join('');
}
