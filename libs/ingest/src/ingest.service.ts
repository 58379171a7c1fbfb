import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertsService } from '@vigil/alerts';
import {
  TelemetryErrorCode,
  type DeviceChannel,
  type PatientStatusEvent,
  type Sample,
  type TelemetryRejection,
} from '@vigil/contracts';
import { DEFAULT_THRESHOLDS, evaluateSample } from '@vigil/rules';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { Subject } from 'rxjs';
import { DEVICE_DIRECTORY, type DeviceDirectory } from './device-directory.port';
import { RecentSamples } from './recent-samples';
import { parseTelemetry, type DeviceSample } from './telemetry-parser';

export interface IngestCounters {
  accepted: number;
  duplicates: number;
  rejected: Partial<Record<TelemetryErrorCode, number>>;
}

/**
 * Turns a device's publish into stored, evaluated samples. Resolves once the samples are
 * durable, so the broker may acknowledge the device; a returned rejection goes back to it.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);
  private readonly recent = new RecentSamples();
  private readonly samplesSubject = new Subject<Sample>();
  private readonly statusSubject = new Subject<PatientStatusEvent>();
  readonly samples$ = this.samplesSubject.asObservable();
  readonly status$ = this.statusSubject.asObservable();
  readonly counters: IngestCounters = { accepted: 0, duplicates: 0, rejected: {} };

  constructor(
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
    @Inject(DEVICE_DIRECTORY) private readonly directory: DeviceDirectory,
    private readonly alerts: AlertsService,
  ) {}

  async handleMessage(
    deviceId: string,
    channel: Exclude<DeviceChannel, 'errors'>,
    payload: Buffer,
  ): Promise<TelemetryRejection | undefined> {
    if (channel === 'status') {
      this.handleStatus(deviceId, payload);
      return undefined;
    }
    return this.handleVitals(deviceId, payload);
  }

  deviceConnected(deviceId: string): void {
    this.announceStatus(deviceId, 'online');
  }

  deviceDisconnected(deviceId: string): void {
    this.announceStatus(deviceId, 'offline');
  }

  /** Records a rejection decided before the payload reached ingest (e.g. by the broker's size limit). */
  countRejection(code: TelemetryErrorCode): void {
    this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1;
  }

  // The per-message path: parse, validate, resolve patient, dedupe, store, evaluate, notify.
  private async handleVitals(
    deviceId: string,
    payload: Buffer,
  ): Promise<TelemetryRejection | undefined> {
    const parsed = parseTelemetry(payload, Date.now());
    if (!parsed.ok) return this.rejected(deviceId, parsed.rejection);

    const binding = this.directory.bindingOf(deviceId);
    if (!binding) {
      return this.rejected(deviceId, {
        code: TelemetryErrorCode.DeviceUnbound,
        detail: [`device ${deviceId} is not bound to a patient`],
      });
    }

    const fresh = this.dropRepeats(deviceId, parsed.samples);
    const samples = fresh.map((sample): Sample => ({ ...sample, deviceId, ...binding }));
    if (samples.length === 0) return undefined;

    await this.store.writeSamples(samples);
    this.counters.accepted += samples.length;

    for (const sample of samples) {
      const evaluation = evaluateSample(sample.vitals, DEFAULT_THRESHOLDS);
      this.alerts
        .record(sample, evaluation)
        .catch((error: unknown) =>
          this.logger.error(`alert for device ${deviceId} not recorded: ${String(error)}`),
        );
      this.samplesSubject.next(sample);
    }
    return undefined;
  }

  private dropRepeats(deviceId: string, samples: readonly DeviceSample[]): DeviceSample[] {
    const fresh = [...samples]
      .sort((a, b) => a.ts - b.ts)
      .filter((s) => this.recent.add(deviceId, s.ts));
    this.counters.duplicates += samples.length - fresh.length;
    return fresh;
  }

  private rejected(deviceId: string, rejection: TelemetryRejection): TelemetryRejection {
    this.countRejection(rejection.code);
    this.logger.warn(`rejected message from device ${deviceId}: ${rejection.code}`);
    return rejection;
  }

  private handleStatus(deviceId: string, payload: Buffer): void {
    const state = readStatusState(payload);
    if (state) this.announceStatus(deviceId, state);
  }

  private announceStatus(deviceId: string, status: PatientStatusEvent['status']): void {
    const patientId = this.directory.bindingOf(deviceId)?.patientId;
    if (!patientId) return;
    this.statusSubject.next({ patientId, deviceId, status, at: new Date().toISOString() });
  }
}

/** Accepts `online`/`offline` as a bare string or as `{"state": ...}` (the MQTT will's payload). */
function readStatusState(payload: Buffer): PatientStatusEvent['status'] | undefined {
  const text = payload.toString('utf8').trim();
  let state: unknown = text;
  try {
    const body = JSON.parse(text) as unknown;
    state = typeof body === 'object' && body !== null ? (body as { state?: unknown }).state : body;
  } catch {
    // a bare word is fine
  }
  return state === 'online' || state === 'offline' ? state : undefined;
}
