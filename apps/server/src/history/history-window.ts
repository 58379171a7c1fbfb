import { INSTANT_PROBLEM, parseInstant } from '@vigil/contracts';

/** The time window and bucket width of a history request, parsed from its query string. */
export interface HistoryWindow {
  readonly from: number;
  readonly to: number;
  readonly everyMs: number;
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const DEFAULT_SPAN_MS = 3_600_000;
export const DEFAULT_EVERY_MS = 60_000;
/**
 * A week: the longest trend a ward reviews. Bounds the samples one read scans (604,800 at 1 Hz,
 * about 2 s of one core on the reader thread).
 */
export const MAX_SPAN_MS = 7 * 86_400_000;
export const MAX_BUCKETS = 10_000;
/** `30s`, `5m`, `1h`, `250ms`, `1d`, or bare milliseconds; undefined past a week. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,12})(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS];
  return ms <= MAX_SPAN_MS ? ms : undefined;
}

/**
 * Returns the window, or the list of problems with the query. Defaults: the last hour, 1-minute
 * means. At most a week, in at most MAX_BUCKETS buckets of at least a second.
 */
export function parseHistoryWindow(
  query: { from?: string; to?: string; every?: string },
  now: number,
): HistoryWindow | { problems: string[] } {
  const problems: string[] = [];
  const instant = (name: 'from' | 'to', fallback: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const value = parseInstant(raw);
    if (value === undefined) problems.push(`${name} ${INSTANT_PROBLEM}`);
    return value ?? fallback;
  };
  const to = instant('to', now);
  const from = instant('from', Math.max(0, to - DEFAULT_SPAN_MS));
  const everyMs = query.every ? parseDuration(query.every) : DEFAULT_EVERY_MS;
  if (everyMs === undefined || everyMs < 1_000)
    problems.push('every must be a duration from 1s to 7d, e.g. 30s, 5m, 1h');
  if (from >= to) problems.push('from must be before to');
  else if (to - from > MAX_SPAN_MS) problems.push('the window may be at most 7 days long');
  else if (everyMs && everyMs >= 1_000 && (to - from) / everyMs > MAX_BUCKETS) {
    problems.push(
      `the window holds more than ${MAX_BUCKETS} buckets of ${query.every}; widen every`,
    );
  }
  return problems.length > 0 ? { problems } : { from, to, everyMs: everyMs as number };
}
