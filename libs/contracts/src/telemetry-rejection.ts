/** Machine-readable reasons a device message is refused; sent on `devices/{id}/errors`. */
export const TelemetryErrorCode = {
  MalformedJson: 'TELEMETRY.MALFORMED_JSON',
  SchemaInvalid: 'TELEMETRY.SCHEMA_INVALID',
  OutOfRange: 'TELEMETRY.OUT_OF_RANGE',
  TimestampInvalid: 'TELEMETRY.TIMESTAMP_INVALID',
  PayloadTooLarge: 'TELEMETRY.PAYLOAD_TOO_LARGE',
  DeviceUnbound: 'DEVICE.UNBOUND',
  RateLimited: 'DEVICE.RATE_LIMITED',
  StoreUnavailable: 'STORE.UNAVAILABLE',
} as const;

export type TelemetryErrorCode = (typeof TelemetryErrorCode)[keyof typeof TelemetryErrorCode];

export interface TelemetryRejection {
  readonly code: TelemetryErrorCode;
  /** Human-readable reasons, one per problem, naming the field (`samples.0.vitals.spo2 ...`). */
  readonly detail: readonly string[];
  /** The `seq` of the refused sample, or of the first sample of a refused batch, when known. */
  readonly seq?: number;
}
