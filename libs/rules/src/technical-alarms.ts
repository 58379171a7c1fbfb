/**
 * Technical alarm rules: about the equipment, not the patient, and kept apart from patient alarms.
 * Battery: low below 20 %, and it clears only at 25 % or more, so a battery hovering at 20 %
 * does not raise and clear over and over.
 */
export const BATTERY_LOW_BELOW = 20;
export const BATTERY_CLEARS_AT = 25;

/** Whether the battery counts as low now, given whether it was low before. */
export function isBatteryLow(battery: number, wasLow: boolean): boolean {
  return wasLow ? battery < BATTERY_CLEARS_AT : battery < BATTERY_LOW_BELOW;
}

/** Whether a bound device has been silent for its timeout, judged by the server's clock. */
export function isSilent(lastHeardFrom: number, now: number, timeoutMs: number): boolean {
  return now - lastHeardFrom >= timeoutMs;
}
