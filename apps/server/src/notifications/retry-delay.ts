/** The first retry of a failed delivery waits this long; each further one twice the last. */
export const FIRST_RETRY_DELAY_MS = 1_000;

/**
 * How long to wait before attempt `attempts + 1` of a delivery that has failed `attempts` times:
 * 1 s, 2 s, 4 s... up to `maxMs`, so a receiver back from an outage hears again within `maxMs`.
 */
export function retryDelayMs(attempts: number, maxMs: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** exponent, maxMs);
}
