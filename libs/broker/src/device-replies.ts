import { deviceTopic, type TelemetryRejection } from '@vigil/contracts';
import type { AedesBroker } from './aedes.types';

/** Sends a rejection to the device on `devices/{id}/errors` (QoS 1). */
export function publishRejection(
  broker: AedesBroker,
  deviceId: string,
  rejection: TelemetryRejection,
  onError: (error: Error) => void,
): void {
  broker.publish(
    {
      cmd: 'publish',
      topic: deviceTopic(deviceId, 'errors'),
      payload: Buffer.from(JSON.stringify(rejection)),
      qos: 1,
      retain: false,
      dup: false,
    },
    (error) => error && onError(error),
  );
}
