import { Inject, Injectable, Logger } from '@nestjs/common';
import { PATIENT_OWNERSHIP, type PatientOwnership } from '@vigil/alerts';
import { TokenBuckets } from '@vigil/broker';
import {
  MAX_SAMPLES_PER_BATCH,
  TelemetryErrorCode,
  type DeviceChannel,
  type PatientStatusEvent,
  type Sample,
  type TelemetryRejection,
} from '@vigil/contracts';
import type { News2Score } from '@vigil/rules';
import { TELEMETRY_STORE, type TelemetryStore } from '@vigil/storage';
import { Subject } from 'rxjs';
import { ClinicalEvaluator } from './clinical-evaluator';
import {
  DEVICE_DIRECTORY,
  type DeviceBinding,
  type DeviceDirectory,
} from './device-directory.port';
import { DeviceWatchService } from './device-watch.service';
import { RecentSamples } from './recent-samples';
import { parseTelemetry, type DeviceSample } from './telemetry-parser';

/** A stored sample with the patient's NEWS2 after it, as the console shows them. */
export interface EvaluatedSample extends Sample {
  readonly news2: Pick<News2Score, 'total' | 'risk' | 'complete'>;
}

export const INGEST_OPTIONS = Symbol('IngestOptions');

/**
 * Readings for a patient another node acts for (her partition moved while they travelled): not
 * stored, so not acknowledged; the device sends them again to whoever owns her now.
 */
export class PatientNotOwnedError extends Error {
  constructor(readonly patientId: string) {
    super(`patient ${patientId} is owned by another node`);
  }
}

export interface IngestOptions {
  /** Samples one device may send per second, sustained, however it batches them. */
  readonly maxSamplesPerSecond: number;
}

export interface IngestCounters {
  accepted: number;
  /** Accepted samples stored for the patient who wore the device before its present one. */
  attributedToEarlierPatient: number;
  /** Accepted samples stored, not evaluated, while their device reported its sensor off. */
  heldWhileSensorOff: number;
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
  private readonly samplesSubject = new Subject<EvaluatedSample>();
  private readonly statusSubject = new Subject<PatientStatusEvent>();
  readonly samples$ = this.samplesSubject.asObservable();
  readonly status$ = this.statusSubject.asObservable();
  readonly counters: IngestCounters = {
    accepted: 0,
    attributedToEarlierPatient: 0,
    heldWhileSensorOff: 0,
    duplicates: 0,
    rejected: {},
  };
  private readonly sampleAllowance: TokenBuckets;

  constructor(
    @Inject(INGEST_OPTIONS) private readonly options: IngestOptions,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
    @Inject(DEVICE_DIRECTORY) private readonly directory: DeviceDirectory,
    private readonly clinical: ClinicalEvaluator,
    private readonly watch: DeviceWatchService,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
  ) {
    // A whole batch always fits after a pause (a device sending what it buffered offline).
    const burst = Math.max(options.maxSamplesPerSecond * 2, MAX_SAMPLES_PER_BATCH);
    this.sampleAllowance = new TokenBuckets(options.maxSamplesPerSecond, burst);
  }

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
    this.watch.statusChanged(deviceId, 'online');
    this.announceStatus(deviceId, 'online');
  }

  deviceDisconnected(deviceId: string): void {
    this.watch.statusChanged(deviceId, 'offline');
    this.announceStatus(deviceId, 'offline');
  }

  /** Records a rejection decided before the payload reached ingest (e.g. by the broker's size limit). */
  countRejection(code: TelemetryErrorCode): void {
    this.counters.rejected[code] = (this.counters.rejected[code] ?? 0) + 1;
  }

  private async handleVitals(
    deviceId: string,
    payload: Buffer,
  ): Promise<TelemetryRejection | undefined> {
    const now = Date.now();
    const parsed = parseTelemetry(payload, now);
    if (!parsed.ok) return this.rejected(deviceId, parsed.rejection);
    return this.acceptReadings(deviceId, parsed.samples, now);
  }

  /**
   * The rest of the per-message path, for readings already parsed and validated (here, or by an
   * edge worker that holds the device's connection): limit, resolve patient, dedupe, store,
   * evaluate, notify.
   */
  async acceptReadings(
    deviceId: string,
    readings: readonly DeviceSample[],
    now: number,
  ): Promise<TelemetryRejection | undefined> {
    // Counted in samples, not messages: one 500-sample batch costs what 500 messages do.
    if (!this.sampleAllowance.take(deviceId, now, readings.length)) {
      return this.rejected(deviceId, {
        code: TelemetryErrorCode.RateLimited,
        detail: [`more than ${this.options.maxSamplesPerSecond} samples per second`],
      });
    }

    const fresh = this.dropRepeats(deviceId, readings);
    if (fresh.length === 0) return undefined;
    const { worn, earlier, unattributed } = this.attribute(deviceId, fresh);
    if (worn.length + earlier.length === 0) {
      return this.rejected(deviceId, {
        code: TelemetryErrorCode.DeviceUnbound,
        detail: [`device ${deviceId} is not bound to a patient`],
      });
    }
    if (worn.length > 0 && !this.ownership.owns(worn[0].patientId))
      throw new PatientNotOwnedError(worn[0].patientId);

    await this.store.writeSamples(earlier.length === 0 ? worn : [...earlier, ...worn]);
    for (const sample of earlier) this.recent.remember(deviceId, sample.ts);
    for (const sample of worn) this.recent.remember(deviceId, sample.ts);
    this.counters.accepted += worn.length + earlier.length;
    this.counters.attributedToEarlierPatient += earlier.length;

    if (worn.length > 0) this.watch.sampleArrived(deviceId, worn[worn.length - 1].battery);
    // Only what the device measured on the patient wearing it now is hers to evaluate: a sample
    // from before a move belongs in the earlier patient's chart, and is history by now. Nor is
    // what it sends with its sensor reported off: stored, as sent, and not evaluated.
    if (this.watch.readingsValid(deviceId)) {
      for (const sample of worn) {
        const { total, risk, complete } = this.clinical.evaluate(sample);
        this.samplesSubject.next({ ...sample, news2: { total, risk, complete } });
      }
    } else {
      this.counters.heldWhileSensorOff += worn.length;
    }
    if (unattributed === 0) return undefined;
    return this.rejected(deviceId, {
      code: TelemetryErrorCode.DeviceUnbound,
      detail: [
        `${unattributed} of ${fresh.length} samples are from a time device ${deviceId} was bound to no patient and were dropped; the others were stored`,
      ],
    });
  }

  /**
   * Attributes each reading to the patient who wore the device at the reading's own time: the
   * current wearer, an earlier one (a batch buffered before the device was moved), or no one.
   */
  private attribute(
    deviceId: string,
    readings: readonly DeviceSample[],
  ): { worn: Sample[]; earlier: Sample[]; unattributed: number } {
    const worn: Sample[] = [];
    const earlier: Sample[] = [];
    let unattributed = 0;
    let binding: DeviceBinding | undefined;
    for (const reading of readings) {
      if (
        !binding ||
        reading.ts < binding.from ||
        (binding.to !== undefined && reading.ts >= binding.to)
      )
        binding = this.directory.bindingAt(deviceId, reading.ts);
      if (!binding) unattributed += 1;
      else (binding.current ? worn : earlier).push(boundSample(reading, deviceId, binding));
    }
    return { worn, earlier, unattributed };
  }

  private dropRepeats(deviceId: string, samples: readonly DeviceSample[]): readonly DeviceSample[] {
    if (samples.length === 1) {
      if (!this.recent.has(deviceId, samples[0].ts)) return samples;
      this.counters.duplicates += 1;
      return [];
    }
    const fresh = [...samples]
      .sort((a, b) => a.ts - b.ts)
      .filter((s, i, sorted) => !this.recent.has(deviceId, s.ts) && sorted[i - 1]?.ts !== s.ts);
    this.counters.duplicates += samples.length - fresh.length;
    return fresh;
  }

  private rejected(deviceId: string, rejection: TelemetryRejection): TelemetryRejection {
    this.countRejection(rejection.code);
    this.logger.warn(`rejected message from device ${deviceId}: ${rejection.code}`);
    return rejection;
  }

  private handleStatus(deviceId: string, payload: Buffer): void {
    const status = readStatus(payload);
    if (!status) return;
    this.watch.statusChanged(deviceId, status.state, status.sensor);
    this.announceStatus(deviceId, status.state);
  }

  private announceStatus(deviceId: string, status: PatientStatusEvent['status']): void {
    const patientId = this.directory.bindingOf(deviceId)?.patientId;
    if (!patientId) return;
    this.statusSubject.next({ patientId, deviceId, status, at: new Date().toISOString() });
  }
}

/** The reading as stored: with the patient (and ward) the device was bound to when it arrived. */
function boundSample(reading: DeviceSample, deviceId: string, binding: DeviceBinding): Sample {
  // Not two spreads: this runs for every sample, and the parser made the reading for us alone.
  return Object.assign({ patientId: binding.patientId, deviceId, ward: binding.ward }, reading);
}

interface DeviceStatus {
  readonly state: PatientStatusEvent['status'];
  readonly sensor?: 'on' | 'off';
}

/** Accepts `online`/`offline` as a bare word, or `{"state": ..., "sensor": "on"|"off"}` (also as the will). */
function readStatus(payload: Buffer): DeviceStatus | undefined {
  const text = payload.toString('utf8').trim();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // a bare word is fine
  }
  const { state, sensor } = (
    typeof body === 'object' && body !== null ? body : { state: body }
  ) as Record<string, unknown>;
  if (state !== 'online' && state !== 'offline') return undefined;
  return { state, ...((sensor === 'on' || sensor === 'off') && { sensor }) };
}
