// Proves the NEWS2 alert policy: a band above low alerts once it has held its sustain time, at the
// band's priority with the band's floor as threshold, and a return to low clears. Time is data.
import { NEWS2_SUSTAIN_MS, decideNews2Alert, type News2Band } from './news2-alerting';
import type { News2Score } from './news2';

const score = (total: number, risk: News2Score['risk'], complete = true): News2Score => ({
  total,
  subscores: {},
  risk,
  response: `response for ${risk}`,
  scale: 1,
  missing: complete ? [] : ['temperature'],
  complete,
});

/** Feeds scores at the given milliseconds; answers each decision. */
function run(steps: [number, News2Score][]) {
  let band: News2Band | undefined;
  return steps.map(([ts, next]) => {
    const result = decideNews2Alert(next, band, ts);
    band = result.band;
    return result.decision;
  });
}

describe('decideNews2Alert', () => {
  it('waits for the sustain time, then alerts at the band priority with its floor', () => {
    const decisions = run([
      [0, score(5, 'medium')],
      [NEWS2_SUSTAIN_MS - 1, score(6, 'medium')],
      [NEWS2_SUSTAIN_MS, score(6, 'medium', false)],
    ]);
    expect(decisions.map((decision) => decision.kind)).toEqual(['pending', 'pending', 'breach']);
    expect(decisions[2]).toEqual({
      kind: 'breach',
      value: 6,
      threshold: 5,
      priority: 'medium',
      message: 'NEWS2 6 (medium, partial): response for medium',
    });
  });

  it('holds a new band its own sustain time before upgrading, and clears at low', () => {
    const decisions = run([
      [0, score(3, 'low-medium')],
      [NEWS2_SUSTAIN_MS, score(3, 'low-medium')],
      [NEWS2_SUSTAIN_MS + 1_000, score(7, 'high')],
      [2 * NEWS2_SUSTAIN_MS + 1_000, score(8, 'high')],
      [2 * NEWS2_SUSTAIN_MS + 2_000, score(0, 'low')],
    ]);
    expect(decisions.map((d) => (d.kind === 'breach' ? d.priority : d.kind))).toEqual([
      'pending',
      'low',
      'pending',
      'high',
      'clear',
    ]);
  });
});

describe("decideNews2Alert for a nurse's observation set", () => {
  it('alerts at once with a sustain of 0, where a device sample would wait', () => {
    const medium = score(5, 'medium');
    expect(decideNews2Alert(medium, undefined, 1_000).decision.kind).toBe('pending');
    expect(decideNews2Alert(medium, undefined, 1_000, 0).decision).toMatchObject({
      kind: 'breach',
      priority: 'medium',
      value: 5,
    });
  });
});
