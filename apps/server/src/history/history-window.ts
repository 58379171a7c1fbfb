/** The time window and bucket width of a history request, parsed from its query string. */
export interface HistoryWindow {
  readonly from: number;
  readonly to: number;
  readonly everyMs: number;
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const DEFAULT_SPAN_MS = 3_600_000;
export const DEFAULT_EVERY_MS = 60_000;
export const MAX_BUCKETS = 10_000;

/** `30s`, `5m`, `1h`, `250ms`, `1d`, or bare milliseconds. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS];
}

/** ISO-8601 with a time zone, or epoch milliseconds. */
export function parseInstant(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Returns the window, or the list of problems with the query. Defaults: the last hour, 1-minute means. */
export function parseHistoryWindow(
  query: { from?: string; to?: string; every?: string },
  now: number,
): HistoryWindow | { problems: string[] } {
  const problems: string[] = [];
  const instant = (name: 'from' | 'to', fallback: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const value = parseInstant(raw);
    if (value === undefined)
      problems.push(`${name} must be ISO-8601 with a time zone, or epoch milliseconds`);
    return value ?? fallback;
  };
  const to = instant('to', now);
  const from = instant('from', to - DEFAULT_SPAN_MS);
  const everyMs = query.every ? parseDuration(query.every) : DEFAULT_EVERY_MS;
  if (everyMs === undefined || everyMs < 1_000)
    problems.push('every must be a duration of at least 1s, e.g. 30s, 5m, 1h');
  if (from >= to) problems.push('from must be before to');
  if (everyMs && everyMs >= 1_000 && (to - from) / everyMs > MAX_BUCKETS) {
    problems.push(
      `the window holds more than ${MAX_BUCKETS} buckets of ${query.every}; widen every`,
    );
  }
  return problems.length > 0 ? { problems } : { from, to, everyMs: everyMs as number };
}
