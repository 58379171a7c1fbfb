/** MQTT topics of the device contract: `devices/{deviceId}/{channel}`. */
export const DEVICE_CHANNELS = ['vitals', 'status', 'errors'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

/** Device and patient ids: safe as one MQTT topic level and in URLs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function deviceTopic(deviceId: string, channel: DeviceChannel): string {
  return `devices/${deviceId}/${channel}`;
}

export interface DeviceTopic {
  readonly deviceId: string;
  readonly channel: DeviceChannel;
}

export function parseDeviceTopic(topic: string): DeviceTopic | undefined {
  const levels = topic.split('/');
  if (levels.length !== 3 || levels[0] !== 'devices') return undefined;
  const [, deviceId, channel] = levels;
  if (!ID_PATTERN.test(deviceId)) return undefined;
  if (!(DEVICE_CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { deviceId, channel: channel as DeviceChannel };
}
