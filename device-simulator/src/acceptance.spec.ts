import { verdictOf } from './acceptance';
import { SCENARIOS } from './patient-scenarios';

describe('verdictOf', () => {
  const offline = SCENARIOS.offline;

  it('passes the offline story on its device alarm, and waits for it until due', () => {
    expect(verdictOf(offline, ['device.offline'], false, true).verdict).toBe('pass');
    expect(verdictOf(offline, [], false, false).verdict).toBe('pending');
    expect(verdictOf(offline, [], false, true)).toEqual({
      missing: ['device.offline'],
      unexpected: [],
      verdict: 'fail',
    });
  });

  it("lets the ward's alarm for many devices lost at once stand in for her device's own", () => {
    expect(verdictOf(offline, [], true, true)).toEqual({
      missing: [],
      unexpected: [],
      verdict: 'pass',
    });
    // Not for anything else her story promises.
    expect(verdictOf(SCENARIOS.hypoxia, [], true, true).missing).toEqual(['spo2.below']);
  });

  it('fails a rule the story does not allow, whatever is due', () => {
    expect(verdictOf(SCENARIOS.stable, ['spo2.below'], false, false).verdict).toBe('fail');
  });
});
