// Proves the technical alarm rules: battery hysteresis and silence timing, time as an argument.
import { isBatteryLow, isSilent } from './technical-alarms';

describe('technical alarms', () => {
  it('calls a battery low below 20 % and clears it only from 25 %', () => {
    expect(isBatteryLow(20, false)).toBe(false);
    expect(isBatteryLow(19, false)).toBe(true);
    expect(isBatteryLow(22, true)).toBe(true);
    expect(isBatteryLow(24.9, true)).toBe(true);
    expect(isBatteryLow(25, true)).toBe(false);
  });

  it('calls a device silent once its timeout has passed, not before', () => {
    const heard = 1_000_000;
    expect(isSilent(heard, heard + 29_999, 30_000)).toBe(false);
    expect(isSilent(heard, heard + 30_000, 30_000)).toBe(true);
  });
});
