import type { DeviceChannel, TelemetryErrorCode, TelemetryRejection } from '@vigil/contracts';

export const BROKER_OPTIONS = Symbol('BrokerOptions');
export const DEVICE_ACCESS_POLICY = Symbol('DeviceAccessPolicy');
export const DEVICE_MESSAGE_HANDLER = Symbol('DeviceMessageHandler');

export interface BrokerTlsOptions {
  /** Port for MQTT over TLS (8883 by convention); 0 picks a free one. */
  readonly port: number;
  readonly key: Buffer;
  readonly cert: Buffer;
  /** CA of device client certificates: with it, a device may prove itself by certificate. */
  readonly clientCa?: Buffer;
}

export interface BrokerOptions {
  /** TCP port for plain MQTT; 0 picks a free one; null switches plain MQTT off. */
  readonly port: number | null;
  readonly tls?: BrokerTlsOptions;
  /** Address to bind; all interfaces when absent. */
  readonly host?: string;
  /** Largest PUBLISH payload handed on; a larger one is answered on the errors topic. */
  readonly maxPayloadBytes: number;
  /** Messages a device may publish per second, sustained; twice that may come in a burst. */
  readonly maxMessagesPerSecond: number;
  /** Most `/`-separated levels in a topic; device topics have 3. */
  readonly maxTopicLevels: number;
}

/** Who may connect: the broker asks, the registry answers. */
export interface DeviceAccessPolicy {
  /** True when `deviceId` is bound and `password` is its current secret. */
  verifyDevice(deviceId: string, password: Buffer | undefined): Promise<boolean>;
  /** True when `deviceId` is bound and not revoked, for a device proven by its certificate. */
  acceptsCertificate(deviceId: string): boolean | Promise<boolean>;
}

/**
 * Where the broker hands a device's publish. The returned promise settles once the message is
 * durable (the broker acknowledges QoS 1 only then); a rejection is sent back to the device.
 */
export interface DeviceMessageHandler {
  handleMessage(
    deviceId: string,
    channel: Exclude<DeviceChannel, 'errors'>,
    payload: Buffer,
  ): Promise<TelemetryRejection | undefined>;
  countRejection(code: TelemetryErrorCode): void;
  deviceConnected(deviceId: string): void;
  deviceDisconnected(deviceId: string): void;
}
