/**
 * FHIR R4 search parameters as Vigil reads them (hl7.org/fhir/R4/search.html). Pure: a query
 * string's parameters in, what to find (or every problem with them) out.
 */
export type QueryParams = Readonly<Record<string, string | string[] | undefined>>;

/** A query string's parameters as FHIR has them: names with one or more plain values. */
export function plainParams(raw: Readonly<Record<string, unknown>>): Parsed<QueryParams> {
  const problems = Object.entries(raw)
    .filter(
      ([, value]) =>
        typeof value !== 'string' &&
        !(Array.isArray(value) && value.every((one) => typeof one === 'string')),
    )
    .map(
      ([name]) => `${name}: not a FHIR search parameter (brackets are not part of FHIR's syntax)`,
    );
  return problems.length > 0 ? { problems } : { ok: raw as QueryParams };
}

export interface Token {
  /** Absent: any system; empty: no system (`|code`). */
  readonly system?: string;
  readonly code?: string;
}

/** A half-open window of epoch milliseconds. */
export interface TimeWindow {
  readonly from: number;
  readonly to: number;
}

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 500;

export type Parsed<T> = { readonly ok: T } | { readonly problems: string[] };

const all = (params: QueryParams, name: string): string[] => {
  const value = params[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};

/** One value at most; `problems` gets a line when given more. */
function single(params: QueryParams, name: string, problems: string[]): string | undefined {
  const values = all(params, name);
  if (values.length > 1) problems.push(`${name}: give it once`);
  return values[0];
}

/** Refuses parameters this search does not support: a filter silently ignored could mislead. */
export function unsupported(params: QueryParams, supported: readonly string[]): string[] {
  return Object.keys(params)
    .filter((name) => !supported.includes(name) && name !== '_format')
    .map((name) => `${name}: not a search parameter supported here`);
}

/** `system|code`, `|code`, `system|` or `code`; commas join alternatives. */
export function parseTokens(value: string): Token[] {
  return value.split(',').map((part) => {
    const bar = part.indexOf('|');
    if (bar < 0) return { code: part };
    const system = part.slice(0, bar);
    const code = part.slice(bar + 1);
    return { system, ...(code !== '' && { code }) };
  });
}

export function tokenMatches(
  tokens: readonly Token[],
  codings: readonly { system?: string; code?: string }[],
): boolean {
  return tokens.some((token) =>
    codings.some(
      (coding) =>
        (token.system === undefined || (coding.system ?? '') === token.system) &&
        (token.code === undefined || coding.code === token.code),
    ),
  );
}

/** `Patient/id` or `id`. */
export function referenceId(value: string, type: string): string {
  return value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value;
}

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The range a FHIR date or dateTime stands for, at its precision: `2026-12` is the whole month.
 * Without a zone, a time is UTC.
 */
export function dateRange(value: string): TimeWindow | undefined {
  const match = DATE.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const offsetMs =
    zone === undefined || zone === 'Z'
      ? 0
      : (zone[0] === '-' ? -1 : 1) *
        (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) *
        60_000;
  const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) =>
    Date.UTC(y, mo, d, h, mi, s, ms) - offsetMs;
  const y = Number(year);
  const mo = month === undefined ? 0 : Number(month) - 1;
  const d = day === undefined ? 1 : Number(day);
  if (mo > 11 || d < 1 || d > 31) return undefined;
  if (Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59)
    return undefined;
  const start = utc(y, mo, d, Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), 0);
  if (Number.isNaN(start) || new Date(utc(y, mo, d, 0, 0, 0, 0) + offsetMs).getUTCDate() !== d)
    return undefined;
  if (fraction !== undefined) {
    const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
    return { from: start + ms, to: start + ms + 1 };
  }
  if (second !== undefined) return { from: start, to: start + 1_000 };
  if (minute !== undefined) return { from: start, to: start + 60_000 };
  if (day !== undefined) return { from: start, to: utc(y, mo, d + 1, 0, 0, 0, 0) };
  if (month !== undefined) return { from: start, to: utc(y, mo + 1, 1, 0, 0, 0, 0) };
  return { from: start, to: utc(y + 1, 0, 1, 0, 0, 0, 0) };
}

/** `date` parameters, each with its prefix, narrowed into one window; `eq` when unprefixed. */
export function parseDates(values: readonly string[], problems: string[]): TimeWindow {
  let from = -Infinity;
  let to = Infinity;
  for (const value of values) {
    const prefixed = /^(eq|ge|gt|le|lt)(.*)$/.exec(value);
    const prefix = prefixed?.[1] ?? (/^[a-z]{2}/.test(value) ? undefined : 'eq');
    const range = dateRange(prefixed?.[2] ?? value);
    if (prefix === undefined || range === undefined) {
      problems.push(
        `date: ${value} is not a date with one of the prefixes eq, ge, gt, le, lt (e.g. ge2026-12-02T08:00:00Z)`,
      );
      continue;
    }
    if (prefix === 'eq' || prefix === 'ge') from = Math.max(from, range.from);
    if (prefix === 'gt') from = Math.max(from, range.to);
    if (prefix === 'eq' || prefix === 'le') to = Math.min(to, range.to);
    if (prefix === 'lt') to = Math.min(to, range.from);
  }
  return { from, to };
}

export function parseCount(value: string | undefined, problems: string[]): number {
  if (value === undefined) return DEFAULT_COUNT;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1) {
    problems.push(`_count: a whole number from 1 (at most ${MAX_COUNT} are returned)`);
    return DEFAULT_COUNT;
  }
  return Math.min(count, MAX_COUNT);
}

/** Where a listing resumes: strictly after this time and key, in the listing's order. */
export interface Cursor {
  readonly ts: number;
  readonly key: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.ts, cursor.key])).toString('base64url');
}

export function decodeCursor(value: string): Cursor | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      Number.isSafeInteger(decoded[0]) &&
      typeof decoded[1] === 'string' &&
      decoded[1].length <= 200
    )
      return { ts: decoded[0] as number, key: decoded[1] };
  } catch {
    // Not ours: answered as a bad parameter below.
  }
  return undefined;
}

export interface PatientSearch {
  readonly identifiers?: readonly Token[];
  /** Lower case: the start of the name or of any word of it. */
  readonly name?: string;
  readonly count: number;
  /** Where the page starts among the matches. */
  readonly offset: number;
}

export function parsePatientSearch(params: QueryParams): Parsed<PatientSearch> {
  const problems = unsupported(params, ['identifier', 'name', '_count', '_cursor']);
  const identifier = single(params, 'identifier', problems);
  const name = single(params, 'name', problems);
  const count = parseCount(single(params, '_count', problems), problems);
  const cursorText = single(params, '_cursor', problems);
  // A page link of a patient search carries the offset of its page.
  const offset = cursorText === undefined ? 0 : decodeCursor(cursorText)?.ts;
  if (offset === undefined || offset < 0)
    problems.push('_cursor: not a page link this server gave');
  if (problems.length > 0) return { problems };
  return {
    ok: {
      ...(identifier !== undefined && { identifiers: parseTokens(identifier) }),
      ...(name !== undefined && { name: name.toLowerCase() }),
      count,
      offset: offset ?? 0,
    },
  };
}

/** A search of one patient's resources (her devices, her stays): `patient`, and a `status`. */
export interface OnePatientSearch {
  readonly patient: string;
  readonly statuses?: readonly string[];
}

export function parseOnePatientSearch(
  params: QueryParams,
  options: { readonly of: string; readonly byStatus: boolean },
): Parsed<OnePatientSearch> {
  const problems = unsupported(params, [
    'patient',
    'subject',
    ...(options.byStatus ? ['status'] : []),
  ]);
  const patient = single(params, 'patient', problems) ?? single(params, 'subject', problems);
  if (patient === undefined)
    problems.push(`patient: required; ${options.of} are searched one patient at a time`);
  const status = single(params, 'status', problems);
  if (problems.length > 0 || patient === undefined) return { problems };
  return {
    ok: {
      patient: referenceId(patient, 'Patient'),
      ...(status !== undefined && { statuses: status.split(',') }),
    },
  };
}

export interface ObservationSearch {
  readonly patient: string;
  readonly categories?: readonly Token[];
  readonly codes?: readonly Token[];
  readonly window: TimeWindow;
  readonly count: number;
  readonly newestFirst: boolean;
  readonly cursor?: Cursor;
}

export const OBSERVATION_SEARCH_PARAMETERS = [
  'patient',
  'subject',
  'category',
  'code',
  'date',
  '_count',
  '_sort',
  '_cursor',
] as const;

export function parseObservationSearch(params: QueryParams): Parsed<ObservationSearch> {
  const problems = unsupported(params, OBSERVATION_SEARCH_PARAMETERS);
  const patient = single(params, 'patient', problems) ?? single(params, 'subject', problems);
  if (patient === undefined)
    problems.push('patient: required; Observations are searched one patient at a time');
  const category = single(params, 'category', problems);
  const code = single(params, 'code', problems);
  const window = parseDates(all(params, 'date'), problems);
  const count = parseCount(single(params, '_count', problems), problems);
  const sort = single(params, '_sort', problems) ?? 'date';
  if (sort !== 'date' && sort !== '-date') problems.push('_sort: date or -date');
  const cursorText = single(params, '_cursor', problems);
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
  if (cursorText !== undefined && cursor === undefined)
    problems.push('_cursor: not a page link this server gave');
  if (problems.length > 0 || patient === undefined) return { problems };
  return {
    ok: {
      patient: referenceId(patient, 'Patient'),
      ...(category !== undefined && { categories: parseTokens(category) }),
      ...(code !== undefined && { codes: parseTokens(code) }),
      window,
      count,
      newestFirst: sort === '-date',
      ...(cursor && { cursor }),
    },
  };
}

/** `$lastn`'s `max`: at most this many of each code. */
export const MAX_LASTN = 10;

export interface LastNSearch {
  readonly patient: string;
  readonly categories?: readonly Token[];
  readonly codes?: readonly Token[];
  readonly window: TimeWindow;
  readonly max: number;
}

/** `$lastn`: an Observation search's filters and `max`; paging and sorting are not its own. */
export function parseLastN(params: QueryParams): Parsed<LastNSearch> {
  const filters = Object.fromEntries(Object.entries(params).filter(([name]) => name !== 'max'));
  const unknown = unsupported(filters, ['patient', 'subject', 'category', 'code', 'date']);
  const problems = [...unknown];
  const maxText = single(params, 'max', problems);
  const max = maxText === undefined ? 1 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > MAX_LASTN)
    problems.push(`max: a whole number from 1 to ${MAX_LASTN}`);
  // Its filters are read as the search reads them, once the unknown ones are named.
  const parsed: Parsed<ObservationSearch> =
    unknown.length === 0 ? parseObservationSearch(filters) : { problems: [] };
  if ('problems' in parsed || problems.length > 0)
    return { problems: [...problems, ...('problems' in parsed ? parsed.problems : [])] };
  const { patient, categories, codes, window } = parsed.ok;
  return {
    ok: {
      patient,
      ...(categories && { categories }),
      ...(codes && { codes }),
      window,
      max,
    },
  };
}
