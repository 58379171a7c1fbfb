import { createHash } from 'node:crypto';
import { KIND, KIND_BY_SHORT, type KindName } from './fhir-codes';

/** FHIR R4's id type (hl7.org/fhir/R4/datatypes.html#id); Vigil's ids also allow `_`. */
const FHIR_ID = /^[A-Za-z0-9.-]{1,64}$/;

const digest = (text: string, chars: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, chars);

/**
 * The FHIR id of a patient, device or stay: its Vigil id when that is a valid FHIR id, else a
 * digest of it (an id with `_`), which a lookup over the registry resolves.
 */
export function fhirIdOf(vigilId: string): string {
  return FHIR_ID.test(vigilId) ? vigilId : `h-${digest(vigilId, 40)}`;
}

export function isFhirId(text: string): boolean {
  return FHIR_ID.test(text);
}

/**
 * A short key of a patient or device inside an Observation id, which must stay within 64
 * characters whatever the length of the ids it joins. 48 bits: the chance that two of 100,000
 * patients share one is below one in 50,000, and a read checks the patient it finds anyway.
 */
export function shortKeyOf(vigilId: string): string {
  return digest(vigilId, 12);
}

/** Where an Observation came from: a sample (device and time) or a nurse's set (its id). */
export type ObservationOrigin =
  | {
      readonly from: 'device';
      readonly patientKey: string;
      readonly ts: number;
      readonly deviceKey: string;
    }
  | { readonly from: 'nurse'; readonly observationId: string };

/**
 * An Observation's id says what it is and where it came from, so it is the same on every call:
 * `hr.<patient key>.<time, base 36>.<device key>` for a sample, `hr.n.<set id>` for a nurse's set.
 */
export function observationIdOf(kind: KindName, origin: ObservationOrigin): string {
  const short = KIND[kind].short;
  return origin.from === 'device'
    ? `${short}.${origin.patientKey}.${origin.ts.toString(36)}.${origin.deviceKey}`
    : `${short}.n.${origin.observationId}`;
}

export function parseObservationId(
  id: string,
): { readonly kind: KindName; readonly origin: ObservationOrigin } | undefined {
  const [short, second, ...rest] = id.split('.');
  const kind = KIND_BY_SHORT.get(short);
  if (!kind || !FHIR_ID.test(id)) return undefined;
  if (second === 'n' && rest.length > 0)
    return { kind, origin: { from: 'nurse', observationId: rest.join('.') } };
  const [time, deviceKey] = rest;
  const ts = parseInt(time ?? '', 36);
  if (rest.length !== 2 || !/^[0-9a-f]{12}$/.test(second) || !/^[0-9a-z]{1,11}$/.test(time))
    return undefined;
  if (!/^[0-9a-f]{12}$/.test(deviceKey) || !Number.isSafeInteger(ts)) return undefined;
  return { kind, origin: { from: 'device', patientKey: second, ts, deviceKey } };
}

/** An Encounter's id: its patient's key and the stay's id, so a read finds the stay. */
export function encounterIdOf(patientId: string, stayId: string): string {
  const id = `${shortKeyOf(patientId)}.${fhirIdOf(stayId)}`;
  return id.length <= 64 ? id : `${shortKeyOf(patientId)}.h-${digest(stayId, 40)}`;
}

export function patientKeyOfEncounterId(id: string): string | undefined {
  const match = /^([0-9a-f]{12})\./.exec(id);
  return match?.[1];
}
