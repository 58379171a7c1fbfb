import { median } from './median';
import { Remedian } from './remedian';

describe('the remedian, a streaming median in fixed memory', () => {
  it('is exact up to its base, and takes an even count as the mean of the middle two', () => {
    const remedian = new Remedian(11, 3);
    expect(remedian.estimate()).toBeNaN();
    for (const value of [70, 72, 190, 71]) remedian.add(value);
    expect(remedian.estimate()).toBe(71.5);
  });

  it('stays near the true median of hundreds of values, artifacts and all', () => {
    // A fixed, irregular spread of 66-78 around 72, and an artifact every 37th value.
    const values = Array.from({ length: 600 }, (_, i) =>
      i % 37 === 0 ? 190 : 72 + (((i * 7919) % 13) - 6),
    );
    const remedian = new Remedian(11, 3);
    for (const value of values) remedian.add(value);
    expect(Math.abs(remedian.estimate() - median(values))).toBeLessThanOrEqual(1);
    expect(remedian.size).toBe(600);
  });

  it('holds no more than base × levels values, however many come', () => {
    const remedian = new Remedian(11, 3);
    for (let i = 0; i < 5_000; i += 1) remedian.add(i % 2 === 0 ? 60 : 62);
    expect(remedian.size).toBe(1_331);
    const held = (remedian as unknown as { buffers: Float64Array[] }).buffers;
    expect(held.reduce((sum, buffer) => sum + buffer.length, 0)).toBe(33);
  });
});
