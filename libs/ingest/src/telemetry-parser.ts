import {
  BATTERY_RANGE,
  CONSCIOUSNESS_LEVELS,
  MAX_SAMPLES_PER_BATCH,
  TelemetryErrorCode,
  VITAL_NAMES,
  VITAL_SIGNS,
  type Sample,
  type VitalValues,
  type TelemetryRejection,
} from '@vigil/contracts';
import { SampleBatchDto, SampleDto, type VitalsDto } from '@vigil/dto';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** A device clock may run this far ahead of ours before its samples are refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Buffered samples older than this (a device offline for a week) are refused. */
export const MAX_SAMPLE_AGE_MS = 7 * 24 * 3600_000;

export type DeviceSample = Omit<Sample, 'patientId' | 'deviceId'>;

/** For building a reading field by field on the per-sample path. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

export type ParseResult =
  | { readonly ok: true; readonly samples: DeviceSample[] }
  | { readonly ok: false; readonly rejection: TelemetryRejection };

const RANGE_CONSTRAINTS = new Set(['min', 'max']);

/**
 * Parses and validates one `devices/{id}/vitals` payload: a sample or a `{samples: [...]}` batch.
 * A batch is accepted or refused whole, so a device never has to work out which half was kept.
 */
export function parseTelemetry(
  payload: Buffer,
  now: number,
  options: { readonly fastPath?: boolean } = {},
): ParseResult {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return reject(TelemetryErrorCode.MalformedJson, [
      `payload is not JSON: ${(error as Error).message}`,
    ]);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return reject(TelemetryErrorCode.SchemaInvalid, ['payload must be a JSON object']);
  }
  const isBatch = 'samples' in body;
  // The plain, valid message (nearly every one) is checked by the compiled check; anything
  // else goes to class-validator, which decides and explains.
  if (options.fastPath !== false && conformsFast(body as Record<string, unknown>, isBatch)) {
    const samples = isBatch ? (body as SampleBatchDto).samples : [body as SampleDto];
    return toDeviceSamples(samples, isBatch, now, seqOf(samples[0]));
  }
  const dto = isBatch ? plainToInstance(SampleBatchDto, body) : plainToInstance(SampleDto, body);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  const firstSeq = seqOf(isBatch ? (body as { samples?: unknown[] }).samples?.[0] : body);
  if (errors.length > 0) {
    const problems = flatten(errors);
    const code = problems.every((p) => p.range)
      ? TelemetryErrorCode.OutOfRange
      : TelemetryErrorCode.SchemaInvalid;
    return reject(
      code,
      problems.map((p) => p.message),
      firstSeq,
    );
  }
  const samples = isBatch ? (dto as SampleBatchDto).samples : [dto as SampleDto];
  return toDeviceSamples(samples, isBatch, now, firstSeq);
}

function toDeviceSamples(
  samples: readonly SampleDto[],
  isBatch: boolean,
  now: number,
  firstSeq: number | undefined,
): ParseResult {
  const parsed: DeviceSample[] = [];
  for (const [index, sample] of samples.entries()) {
    const ts = typeof sample.ts === 'number' ? sample.ts : Date.parse(sample.ts);
    const where = isBatch ? `samples.${index}.ts` : 'ts';
    if (ts > now + MAX_CLOCK_SKEW_MS) {
      return reject(
        TelemetryErrorCode.TimestampInvalid,
        [`${where} is more than 5 minutes in the future`],
        firstSeq,
      );
    }
    if (ts < now - MAX_SAMPLE_AGE_MS) {
      return reject(
        TelemetryErrorCode.TimestampInvalid,
        [`${where} is more than 7 days old`],
        firstSeq,
      );
    }
    const { consciousness, onOxygen, battery } = sample.vitals;
    const vitals = measuredVitals(sample.vitals);
    if (Object.keys(vitals).length === 0) {
      return reject(
        TelemetryErrorCode.SchemaInvalid,
        [`${where.replace(/ts$/, 'vitals')} has no vital sign`],
        firstSeq,
      );
    }
    const reading: Writable<DeviceSample> = { ts, seq: sample.seq, vitals };
    if (consciousness !== undefined) reading.consciousness = consciousness;
    if (onOxygen !== undefined) reading.onOxygen = onOxygen;
    if (battery !== undefined) reading.battery = battery;
    parsed.push(reading);
  }
  return { ok: true, samples: parsed };
}

function measuredVitals(dto: VitalsDto): VitalValues {
  const vitals: VitalValues = {};
  for (const name of VITAL_NAMES) {
    const value = dto[name];
    if (value !== undefined) vitals[name] = value;
  }
  return vitals;
}

function reject(code: TelemetryErrorCode, detail: string[], seq?: number): ParseResult {
  return { ok: false, rejection: { code, detail, ...(seq !== undefined && { seq }) } };
}

function seqOf(value: unknown): number | undefined {
  const seq = (value as { seq?: unknown } | undefined)?.seq;
  return Number.isInteger(seq) ? (seq as number) : undefined;
}

interface Problem {
  readonly message: string;
  readonly range: boolean;
}

function flatten(errors: readonly ValidationError[], parent = ''): Problem[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([name, message]) => ({
      message: message.replace(error.property, path),
      range: RANGE_CONSTRAINTS.has(name),
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

// The compiled check: the same constraints as SampleDto and VitalsDto (libs/contracts), for the
// shape devices send, with numeric timestamps and no null or unknown members. It only ever says
// yes to what class-validator accepts (a differential test holds it to that); when it says no,
// class-validator decides.
const SAMPLE_KEYS = new Set(['ts', 'seq', 'vitals']);
const RANGES: Record<string, { readonly min: number; readonly max: number }> = {
  ...VITAL_SIGNS,
  battery: BATTERY_RANGE,
};
const CONSCIOUSNESS = new Set<unknown>(CONSCIOUSNESS_LEVELS);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function conformsFast(body: Record<string, unknown>, isBatch: boolean): boolean {
  if (!isBatch) return sampleConforms(body);
  const samples = body.samples;
  if (Object.keys(body).length !== 1 || !Array.isArray(samples)) return false;
  if (samples.length < 1 || samples.length > MAX_SAMPLES_PER_BATCH) return false;
  return samples.every(sampleConforms);
}

function sampleConforms(sample: unknown): boolean {
  if (!isPlainObject(sample)) return false;
  for (const key in sample) if (!SAMPLE_KEYS.has(key)) return false;
  const { ts, seq, vitals } = sample;
  if (typeof ts !== 'number' || !Number.isInteger(ts) || ts <= 0) return false;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) return false;
  if (!isPlainObject(vitals)) return false;
  for (const key in vitals) {
    const value = vitals[key];
    if (key === 'consciousness') {
      if (!CONSCIOUSNESS.has(value)) return false;
    } else if (key === 'onOxygen') {
      if (typeof value !== 'boolean') return false;
    } else {
      const range = Object.hasOwn(RANGES, key) ? RANGES[key] : undefined;
      if (!range || typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (value < range.min || value > range.max) return false;
    }
  }
  return true;
}
