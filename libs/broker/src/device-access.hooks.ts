import {
  TelemetryErrorCode,
  deviceTopic,
  parseDeviceTopic,
  type TelemetryRejection,
} from '@vigil/contracts';
import type { AedesHooks } from './aedes.types';
import type { BrokerOptions, DeviceAccessPolicy, DeviceMessageHandler } from './broker.ports';
import { TokenBuckets } from './token-bucket';

// MQTT 3.1.1 CONNACK return code 5, "Connection Refused, not authorized" [MQTT-3.2.2-3]: the
// same answer for an unknown id and a wrong secret, so ids cannot be probed.
const NOT_AUTHORIZED = 5;

/** A connection whose TLS client certificate was verified against the device CA. */
export interface CertifiedConnection {
  readonly certifiedDeviceId: string;
}

export type ReplyToDevice = (deviceId: string, rejection: TelemetryRejection) => void;

/**
 * The broker's hooks: a device connects with its registered id as client id and username and its
 * secret as password, publishes only to
 * its own `vitals` and `status` topics and subscribes only to its own `errors` topic.
 */
export function deviceAccessHooks(
  options: Pick<BrokerOptions, 'maxPayloadBytes' | 'maxMessagesPerSecond'>,
  policy: DeviceAccessPolicy,
  handler: DeviceMessageHandler,
  reply: ReplyToDevice,
): AedesHooks {
  const allowance = new TokenBuckets(
    options.maxMessagesPerSecond,
    options.maxMessagesPerSecond * 2,
  );
  return {
    authenticate(client, username, password, done) {
      const refuse = () => {
        const error = Object.assign(new Error(`device ${client.id} not authorized`), {
          returnCode: NOT_AUTHORIZED,
        });
        done(error as Parameters<typeof done>[0], false);
      };
      // Mutual TLS: a trusted client certificate whose subject CN is the client id stands for the secret.
      const certified = (client.conn as Partial<CertifiedConnection>).certifiedDeviceId;
      if (certified !== undefined) {
        return certified === client.id && policy.acceptsCertificate(client.id)
          ? done(null, true)
          : refuse();
      }
      // The username must repeat the client id, so a secret is only ever tried against its device.
      if (username !== client.id) return refuse();
      policy.verifyDevice(client.id, password ? Buffer.from(password) : undefined).then(
        (valid) => (valid ? done(null, true) : refuse()),
        () => refuse(),
      );
    },

    authorizePublish(client, packet, done) {
      // The broker itself publishes a gone client's will with no client attached.
      if (!client) return done(null);
      const topic = parseDeviceTopic(packet.topic);
      if (!topic || topic.deviceId !== client.id || topic.channel === 'errors') {
        // An error closes the connection; MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2].
        return done(new Error(`device ${client.id} may not publish to ${packet.topic}`));
      }
      if (!allowance.take(client.id, Date.now())) {
        // Refused with a reason, not dropped in silence; the flood costs the others nothing more.
        packet.payload = Buffer.alloc(0);
        handler.countRejection(TelemetryErrorCode.RateLimited);
        reply(client.id, {
          code: TelemetryErrorCode.RateLimited,
          detail: [`more than ${options.maxMessagesPerSecond} messages per second`],
        });
        return done(null);
      }
      const payload =
        typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      if (payload.length > options.maxPayloadBytes) {
        packet.payload = Buffer.alloc(0);
        handler.countRejection(TelemetryErrorCode.PayloadTooLarge);
        reply(client.id, {
          code: TelemetryErrorCode.PayloadTooLarge,
          detail: [`payload is ${payload.length} bytes; the limit is ${options.maxPayloadBytes}`],
        });
        return done(null);
      }
      handler.handleMessage(client.id, topic.channel, payload).then(
        (rejection) => {
          if (rejection) reply(client.id, rejection);
          done(null);
        },
        // Not durable, so not acknowledged: the connection closes and the device resends.
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
    },

    authorizeSubscribe(client, subscription, done) {
      const allowed = subscription.topic === deviceTopic(client.id, 'errors');
      // A refused subscription gets SUBACK 0x80 and the connection stays up [MQTT-3.9.3].
      done(null, allowed ? subscription : null);
    },
  };
}
