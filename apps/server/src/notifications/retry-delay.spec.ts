import { retryDelayMs } from './retry-delay';

describe('retryDelayMs', () => {
  it('doubles from one second up to the limit', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempts) => retryDelayMs(attempts, 30_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('stays at the limit however many attempts failed', () => {
    expect(retryDelayMs(10_000, 30_000)).toBe(30_000);
  });
});
