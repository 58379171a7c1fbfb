import { ConnectionOutages } from './connection-outages';

const policy = { groupingWindowMs: 5_000, minPatients: 3 };

describe('ConnectionOutages', () => {
  it('lets a device lost alone raise its own alarm once the grouping window has passed', () => {
    const outages = new ConnectionOutages(policy);
    outages.lose('d1', 'p1', '4B', 0);
    expect(outages.decide(4_999).raise).toEqual([]);
    expect(outages.decide(5_000).raise).toEqual(['d1']);
    expect(outages.decide(6_000).raise).toEqual([]);
    expect(outages.recover('d1')).toEqual({ hadOwnAlarm: true });
  });

  it('raises one ward alarm, naming the patients, when enough of a ward are lost at once', () => {
    const outages = new ConnectionOutages(policy);
    for (let i = 0; i < 50; i++) outages.lose(`d${i}`, `p${i}`, '4B', 100);
    expect(outages.decide(200).wardAlarms).toEqual([]);
    const decision = outages.decide(5_100);
    expect(decision.wardAlarms).toEqual([{ ward: '4B', patients: 50 }]);
    expect(decision.raise).toEqual([]);
    expect(outages.decide(60_000)).toEqual({ raise: [], fold: [], wardAlarms: [], wardClears: [] });
  });

  it('raises nothing for a ward whose devices all come back within the window (a restart)', () => {
    const outages = new ConnectionOutages(policy);
    for (let i = 0; i < 50; i++) outages.lose(`d${i}`, `p${i}`, '4B', 0);
    expect(outages.decide(500)).toEqual({ raise: [], fold: [], wardAlarms: [], wardClears: [] });
    for (let i = 0; i < 50; i++) outages.recover(`d${i}`);
    expect(outages.decide(5_000)).toEqual({ raise: [], fold: [], wardAlarms: [], wardClears: [] });
  });

  it('counts those still within the window once the first of the ward is due', () => {
    const outages = new ConnectionOutages(policy);
    outages.lose('d1', 'p1', '4B', 0);
    outages.lose('d2', 'p2', '4B', 3_000);
    outages.lose('d3', 'p3', '4B', 4_000);
    expect(outages.decide(4_500).wardAlarms).toEqual([]);
    expect(outages.decide(5_000)).toEqual({
      raise: [],
      fold: [],
      wardAlarms: [{ ward: '4B', patients: 3 }],
      wardClears: [],
    });
  });

  it('counts patients, not devices, and keeps wards apart', () => {
    const outages = new ConnectionOutages(policy);
    outages.lose('a1', 'p1', '4B', 0);
    outages.lose('a2', 'p1', '4B', 0);
    outages.lose('b1', 'p2', '4B', 0);
    outages.lose('c1', 'p3', '5A', 0);
    const decision = outages.decide(5_000);
    expect(decision.wardAlarms).toEqual([]);
    expect(decision.raise.sort()).toEqual(['a1', 'a2', 'b1', 'c1']);
  });

  it('folds devices that raised their own alarms into the ward alarm as more are lost', () => {
    const outages = new ConnectionOutages(policy);
    outages.lose('d1', 'p1', '4B', 0);
    expect(outages.decide(5_000).raise).toEqual(['d1']);
    outages.lose('d2', 'p2', '4B', 6_000);
    outages.lose('d3', 'p3', '4B', 6_000);
    const decision = outages.decide(6_000);
    expect(decision.fold).toEqual(['d1']);
    expect(decision.wardAlarms).toEqual([{ ward: '4B', patients: 3 }]);
    outages.lose('d4', 'p4', '4B', 7_000);
    expect(outages.decide(7_000).wardAlarms).toEqual([{ ward: '4B', patients: 4 }]);
  });

  it('clears the ward alarm when too few are lost, and those still lost raise their own', () => {
    const outages = new ConnectionOutages(policy);
    for (let i = 0; i < 4; i++) outages.lose(`d${i}`, `p${i}`, '4B', 0);
    expect(outages.decide(5_000).wardAlarms).toEqual([{ ward: '4B', patients: 4 }]);
    expect(outages.recover('d0')).toEqual({ hadOwnAlarm: false });
    expect(outages.decide(6_000).wardClears).toEqual([]);
    outages.recover('d1');
    const decision = outages.decide(7_000);
    expect(decision.wardClears).toEqual(['4B']);
    expect(decision.raise.sort()).toEqual(['d2', 'd3']);
  });

  it('keeps a ward alarm restored after a restart while wearables come back, then clears it once too few are lost', () => {
    const outages = new ConnectionOutages(policy);
    outages.restoreWardAlarm('4B', 12, 30_000);
    expect(outages.decide(29_999).wardClears).toEqual([]);
    outages.lose('d1', 'p1', '4B', 30_000);
    outages.lose('d2', 'p2', '4B', 30_000);
    outages.lose('d3', 'p3', '4B', 30_000);
    expect(outages.decide(30_000)).toMatchObject({
      wardAlarms: [{ ward: '4B', patients: 3 }],
      wardClears: [],
    });
    outages.recover('d1');
    expect(outages.decide(31_000)).toMatchObject({ wardClears: ['4B'], raise: ['d2', 'd3'] });
  });

  it('clears a restored ward alarm when nothing is lost once the wearables have had their time', () => {
    const outages = new ConnectionOutages(policy);
    outages.restoreWardAlarm('4B', 12, 30_000);
    expect(outages.decide(30_000).wardClears).toEqual(['4B']);
  });
});
