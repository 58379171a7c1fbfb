/** The last millisecond of the year 9999: beyond it a date has no ISO-8601 form. */
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** What the API says of an instant it cannot read. */
export const INSTANT_PROBLEM =
  'must be ISO-8601 with a time zone, or epoch milliseconds, from 1970 to 9999';

/**
 * An instant of a query string (`from`, `to`): ISO-8601 with a time zone, or epoch milliseconds,
 * from 1970 to the end of 9999; undefined for anything else.
 */
export function parseInstant(text: string): number | undefined {
  let ms: number;
  if (/^\d{1,16}$/.test(text)) ms = Number(text);
  else if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) ms = Date.parse(text);
  else return undefined;
  return ms >= 0 && ms <= LATEST_INSTANT ? ms : undefined;
}
