// Proves failed logins lock a key for the rest of the window, and that success or time unlocks it.
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 0;
  const throttle = () => new LoginThrottle(3, 60_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows failures up to the limit, then refuses until the oldest leaves the window', () => {
    const limit = throttle();
    limit.recordFailure('alice');
    now += 10_000;
    limit.recordFailure('alice');
    expect(limit.retryAfterMs('alice')).toBe(0);
    now += 10_000;
    limit.recordFailure('alice');
    expect(limit.retryAfterMs('alice')).toBe(40_000);
    expect(limit.retryAfterMs('bob')).toBe(0);
    now += 40_000;
    expect(limit.retryAfterMs('alice')).toBe(0);
  });

  it('keeps refusing while failures keep arriving', () => {
    const limit = throttle();
    for (let i = 0; i < 10; i += 1) {
      limit.recordFailure('mallory');
      now += 5_000;
    }
    expect(limit.retryAfterMs('mallory')).toBeGreaterThan(40_000);
  });

  it('forgets a key after a successful login', () => {
    const limit = throttle();
    limit.recordFailure('alice');
    limit.recordFailure('alice');
    limit.recordSuccess('alice');
    limit.recordFailure('alice');
    limit.recordFailure('alice');
    expect(limit.retryAfterMs('alice')).toBe(0);
  });
});
