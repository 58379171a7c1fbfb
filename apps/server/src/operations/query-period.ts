import { INSTANT_PROBLEM, parseInstant } from '@vigil/contracts';

/** A period a request asks about, epoch ms: from inclusive, to exclusive. */
export interface Period {
  readonly from: number;
  readonly to: number;
}

/**
 * The `from` and `to` of a query string (ISO-8601 with a time zone, or epoch ms): by default the
 * `defaultSpanMs` up to now, never longer than `maxSpanMs`, so no request reads without bound.
 * Returns the period, or every problem with it.
 */
export function parsePeriod(
  query: { readonly from?: string; readonly to?: string },
  options: { readonly now: number; readonly defaultSpanMs: number; readonly maxSpanMs: number },
): Period | { problems: string[] } {
  const problems: string[] = [];
  const instant = (name: 'from' | 'to', fallback: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const value = parseInstant(raw);
    if (value === undefined) problems.push(`${name} ${INSTANT_PROBLEM}`);
    return value ?? fallback;
  };
  const to = instant('to', options.now);
  const from = instant('from', Math.max(0, to - options.defaultSpanMs));
  if (from >= to) problems.push('from must be before to');
  else if (to - from > options.maxSpanMs)
    problems.push(`the window may be at most ${options.maxSpanMs / 86_400_000} days long`);
  return problems.length > 0 ? { problems } : { from, to };
}
