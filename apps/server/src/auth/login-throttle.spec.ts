// Proves attempts lock a key for the rest of the window as soon as they start, and that a right
// password or time unlocks it.
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 0;
  const throttle = () => new LoginThrottle(3, 60_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows attempts up to the limit, then refuses until the oldest leaves the window', () => {
    const limit = throttle();
    limit.reserve('alice');
    now += 10_000;
    limit.reserve('alice');
    expect(limit.retryAfterMs('alice')).toBe(0);
    now += 10_000;
    limit.reserve('alice');
    expect(limit.retryAfterMs('alice')).toBe(40_000);
    expect(limit.retryAfterMs('bob')).toBe(0);
    now += 40_000;
    expect(limit.retryAfterMs('alice')).toBe(0);
  });

  it('counts attempts whose passwords are still being checked, so parallel ones are refused', () => {
    const limit = throttle();
    const admitted = Array.from({ length: 12 }, () => {
      if (limit.retryAfterMs('alice') > 0) return false;
      limit.reserve('alice');
      return true;
    });
    expect(admitted.filter(Boolean)).toHaveLength(3);
  });

  it('keeps refusing while failures keep arriving', () => {
    const limit = throttle();
    for (let i = 0; i < 10; i += 1) {
      limit.reserve('mallory');
      now += 5_000;
    }
    expect(limit.retryAfterMs('mallory')).toBeGreaterThan(40_000);
  });

  it('releases an attempt that proved right, and forgets a key that was cleared', () => {
    const limit = throttle();
    limit.reserve('office');
    limit.reserve('office');
    limit.reserve('office');
    limit.release('office');
    expect(limit.retryAfterMs('office')).toBe(0);
    limit.reserve('office');
    expect(limit.retryAfterMs('office')).toBeGreaterThan(0);
    limit.clear('office');
    expect(limit.retryAfterMs('office')).toBe(0);
  });

  it('forgets keys whose attempts have left the window once it holds many', () => {
    const limit = throttle();
    for (let i = 0; i < 10_000; i += 1) limit.reserve(`sprayed-${i}`);
    expect(limit.size).toBe(10_000);
    now += 60_001;
    limit.reserve('next');
    expect(limit.size).toBe(1);
  });
});
