import { parsePeriod } from '../operations/query-period';

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
  const period = parsePeriod(query, {
    now,
    defaultSpanMs: DEFAULT_SPAN_MS,
    maxSpanMs: MAX_SPAN_MS,
  });
  const problems = 'problems' in period ? [...period.problems] : [];
  const everyMs = query.every ? parseDuration(query.every) : DEFAULT_EVERY_MS;
  if (everyMs === undefined || everyMs < 1_000)
    problems.push('every must be a duration from 1s to 7d, e.g. 30s, 5m, 1h');
  else if (!('problems' in period) && (period.to - period.from) / everyMs > MAX_BUCKETS)
    problems.push(
      `the window holds more than ${MAX_BUCKETS} buckets of ${query.every}; widen every`,
    );
  if ('problems' in period || everyMs === undefined || problems.length > 0) return { problems };
  return { from: period.from, to: period.to, everyMs };
}
