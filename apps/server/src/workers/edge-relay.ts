import { Injectable, Logger } from '@nestjs/common';
import type { DeviceAccessPolicy, DeviceMessageHandler } from '@vigil/broker';
import type { DeviceChannel, TelemetryErrorCode, TelemetryRejection } from '@vigil/contracts';
import { parseTelemetry } from '@vigil/ingest';
import type { EventLoopWindow } from '../operations/event-loop-monitor';
import { BatchedSender } from './batched-sender';
import type {
  EdgeAnswer,
  EdgeQuestion,
  EdgeRequest,
  EdgeToOwner,
  OwnerToEdge,
  WithoutRef,
} from './edge-messages';

type Pending = (answer: EdgeAnswer) => void;

/**
 * An edge worker's side of its devices: the broker here speaks MQTT with them, checks topics,
 * sizes and rates, and parses and validates what they send; who a device is, and what becomes of
 * its readings, is asked of the owner over IPC. A reading is acknowledged to its device only
 * once the owner answers that it is stored.
 */
@Injectable()
export class EdgeRelay implements DeviceAccessPolicy, DeviceMessageHandler {
  private readonly logger = new Logger(EdgeRelay.name);
  private readonly pending = new Map<number, Pending>();
  private readonly outbox = new BatchedSender<EdgeRequest>((requests) =>
    this.post({ kind: 'requests', requests }),
  );
  private nextRef = 1;
  private ownerGone = false;
  /** Set once the broker is up: closes a device's connection when the owner asks. */
  closeDevice: (deviceId: string) => void = () => undefined;
  /** Set once the broker is up: closes it and ends the process (asked to, or the owner died). */
  stop: () => void = () => process.exit(1);

  constructor() {
    process.on('message', (message: OwnerToEdge) => {
      if (message.kind === 'answers') this.answered(message.answers);
      else if (message.kind === 'disconnect') this.closeDevice(message.deviceId);
      else this.stop();
    });
    process.on('disconnect', () => {
      this.lostOwner();
      this.stop();
    });
  }

  verifyDevice(deviceId: string, password: Buffer | undefined): Promise<boolean> {
    return this.ask({
      kind: 'verify',
      deviceId,
      ...(password && { password: password.toString('base64') }),
    }).then((answer) => 'accepted' in answer && answer.accepted);
  }

  acceptsCertificate(deviceId: string): Promise<boolean> {
    return this.ask({ kind: 'certificate', deviceId }).then(
      (answer) => 'accepted' in answer && answer.accepted,
    );
  }

  async handleMessage(
    deviceId: string,
    channel: Exclude<DeviceChannel, 'errors'>,
    payload: Buffer,
  ): Promise<TelemetryRejection | undefined> {
    const receivedAt = Date.now();
    let answer: EdgeAnswer;
    if (channel === 'status') {
      answer = await this.ask({ kind: 'status', deviceId, text: payload.toString('utf8') });
    } else {
      const parsed = parseTelemetry(payload, receivedAt);
      if (!parsed.ok) {
        this.countRejection(parsed.rejection.code);
        this.logger.warn(`rejected message from device ${deviceId}: ${parsed.rejection.code}`);
        return parsed.rejection;
      }
      answer = await this.ask({ kind: 'readings', deviceId, readings: parsed.samples, receivedAt });
    }
    if ('failed' in answer) throw new Error(answer.failed);
    return 'rejection' in answer ? answer.rejection : undefined;
  }

  countRejection(code: TelemetryErrorCode): void {
    this.tell({ kind: 'rejected', code });
  }

  deviceConnected(deviceId: string): void {
    this.tell({ kind: 'connected', deviceId });
  }

  deviceDisconnected(deviceId: string): void {
    this.tell({ kind: 'disconnected', deviceId });
  }

  private ask(question: WithoutRef<EdgeQuestion>): Promise<EdgeAnswer> {
    if (this.ownerGone) return Promise.reject(new Error('the owning process is gone'));
    const ref = this.nextRef++;
    return new Promise<EdgeAnswer>((resolve) => {
      this.pending.set(ref, resolve);
      this.outbox.send({ ...question, ref });
    });
  }

  private tell(request: EdgeRequest): void {
    if (!this.ownerGone) this.outbox.send(request);
  }

  private answered(answers: readonly EdgeAnswer[]): void {
    for (const answer of answers) {
      const resolve = this.pending.get(answer.ref);
      this.pending.delete(answer.ref);
      resolve?.(answer);
    }
  }

  private post(message: EdgeToOwner): void {
    if (this.ownerGone || !process.send) return;
    process.send(message, undefined, undefined, (error: Error | null) => {
      if (error) this.lostOwner();
    });
  }

  /** Nothing asked of the owner will be answered: not acknowledged, so devices send it again. */
  private lostOwner(): void {
    if (this.ownerGone) return;
    this.ownerGone = true;
    for (const resolve of this.pending.values())
      resolve({ ref: 0, failed: 'the owning process is gone' });
    this.pending.clear();
  }

  /** Tells the owner how busy this worker's event loop was. */
  reportLoad(window: EventLoopWindow): void {
    this.post({ kind: 'load', window });
  }

  /** Tells the owner this worker's broker listens. */
  listening(port: number | null, tlsPort: number | null): void {
    this.post({ kind: 'listening', port, tlsPort });
  }
}
