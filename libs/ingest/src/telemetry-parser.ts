import {
  SampleBatchDto,
  SampleDto,
  TelemetryErrorCode,
  VITAL_NAMES,
  type Sample,
  type VitalValues,
  type VitalsDto,
  type TelemetryRejection,
} from '@vigil/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** A device clock may run this far ahead of ours before its samples are refused. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Buffered samples older than this (a device offline for a week) are refused. */
export const MAX_SAMPLE_AGE_MS = 7 * 24 * 3600_000;

export type DeviceSample = Omit<Sample, 'patientId' | 'deviceId'>;

export type ParseResult =
  | { readonly ok: true; readonly samples: DeviceSample[] }
  | { readonly ok: false; readonly rejection: TelemetryRejection };

const RANGE_CONSTRAINTS = new Set(['min', 'max']);

/**
 * Parses and validates one `devices/{id}/vitals` payload: a sample or a `{samples: [...]}` batch.
 * A batch is accepted or refused whole, so a device never has to work out which half was kept.
 */
export function parseTelemetry(payload: Buffer, now: number): ParseResult {
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
    parsed.push({
      ts,
      seq: sample.seq,
      vitals,
      ...(consciousness !== undefined && { consciousness }),
      ...(onOxygen !== undefined && { onOxygen }),
      ...(battery !== undefined && { battery }),
    });
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
