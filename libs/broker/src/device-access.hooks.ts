import {
  ID_PATTERN,
  TelemetryErrorCode,
  deviceTopic,
  parseDeviceTopic,
  type TelemetryRejection,
} from '@vigil/contracts';
import type { AedesClient, AedesHooks } from './aedes.types';
import type { BrokerOptions, DeviceAccessPolicy, DeviceMessageHandler } from './broker.port';
import { printable } from './printable';
import { TokenBuckets } from './token-bucket';

// MQTT 3.1.1 CONNACK return code 5, "Connection Refused, not authorized" [MQTT-3.2.2-3]: the
// same answer for an unknown id and a wrong secret, so ids cannot be probed.
const NOT_AUTHORIZED = 5;

/**
 * Every refusal is answered this long after its CONNECT arrived, whatever was checked (an unknown
 * id, a generated secret's quick hash, a seed file's scrypt), so the time of the answer tells
 * nothing of which it was; it also slows guessing.
 */
export const REFUSAL_DELAY_MS = 1_000;

/** The will topic each connecting client asked for, read before it is authenticated. */
const willTopics = new WeakMap<AedesClient, string | undefined>();

/** What each accepted client proved itself with (its secret, or its certificate), until ready. */
const proofs = new WeakMap<AedesClient, Buffer | 'certificate' | undefined>();

/**
 * Asks the registry again, once the connection is ready, whether what the client proved itself
 * with still admits it. Between the check at CONNECT and this moment the device's secret may have
 * been rotated or revoked, and the registry's order to close the connection found none yet.
 */
export function confirmAccess(client: AedesClient, policy: DeviceAccessPolicy): Promise<boolean> {
  const proof = proofs.get(client);
  proofs.delete(client);
  if (proof === 'certificate') return Promise.resolve(policy.acceptsCertificate(client.id));
  return policy.verifyDevice(client.id, proof);
}

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
  const answer = limitRateReplies(reply);
  return {
    preConnect(client, packet, done) {
      willTopics.set(client, packet.will?.topic);
      done(null, true);
    },

    authenticate(client, username, password, done) {
      const started = Date.now();
      const refuse = () => {
        // The message names no id: the broker's log line names it once, escaped (printable).
        const error = Object.assign(new Error('not authorized'), { returnCode: NOT_AUTHORIZED });
        setTimeout(
          () => done(error as Parameters<typeof done>[0], false),
          Math.max(0, started + REFUSAL_DELAY_MS - Date.now()),
        );
      };
      if (!ID_PATTERN.test(client.id)) return refuse();
      // A device's will may only announce its own status: the broker publishes it for the device
      // when the connection ends [MQTT-3.1.2-8].
      const will = willTopics.get(client);
      if (will !== undefined && will !== deviceTopic(client.id, 'status')) return refuse();
      // Mutual TLS: a trusted client certificate whose subject CN is the client id stands for the secret.
      const certified = (client.conn as Partial<CertifiedConnection>).certifiedDeviceId;
      if (certified !== undefined) {
        if (certified !== client.id) return refuse();
        return void Promise.resolve(policy.acceptsCertificate(client.id)).then(
          (accepted) => {
            if (!accepted) return refuse();
            proofs.set(client, 'certificate');
            done(null, true);
          },
          () => refuse(),
        );
      }
      // The username must repeat the client id, so a secret is only ever tried against its device.
      if (username !== client.id) return refuse();
      const secret = password ? Buffer.from(password) : undefined;
      policy.verifyDevice(client.id, secret).then(
        (valid) => {
          if (!valid) return refuse();
          proofs.set(client, secret);
          done(null, true);
        },
        () => refuse(),
      );
    },

    authorizePublish(client, packet, done) {
      // The broker itself publishes a gone client's will with no client attached.
      if (!client) return done(null);
      const topic = parseDeviceTopic(packet.topic);
      if (!topic || topic.deviceId !== client.id || topic.channel === 'errors') {
        // An error closes the connection; MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2].
        return done(new Error(`may not publish to ${printable(packet.topic)}`));
      }
      if (!allowance.take(client.id, Date.now())) {
        // Refused with a reason, not dropped in silence; the flood costs the others nothing more.
        packet.payload = Buffer.alloc(0);
        handler.countRejection(TelemetryErrorCode.RateLimited);
        answer(client.id, {
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
        answer(client.id, {
          code: TelemetryErrorCode.PayloadTooLarge,
          detail: [`payload is ${payload.length} bytes; the limit is ${options.maxPayloadBytes}`],
        });
        return done(null);
      }
      handler.handleMessage(client.id, topic.channel, payload).then(
        (rejection) => {
          if (rejection) answer(client.id, rejection);
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

/**
 * A flooding device is told it is rate-limited once a second, not once per refused message: a
 * reply per message would turn its flood into as many publishes, which overflow aedes' emitter
 * (RangeError in mqemitter, seen with 50 devices flooding 500-sample batches).
 */
function limitRateReplies(reply: ReplyToDevice): ReplyToDevice {
  const lastToldAt = new Map<string, number>();
  return (deviceId, rejection) => {
    if (rejection.code === TelemetryErrorCode.RateLimited) {
      const now = Date.now();
      if (now - (lastToldAt.get(deviceId) ?? -Infinity) < 1_000) return;
      lastToldAt.set(deviceId, now);
    }
    reply(deviceId, rejection);
  };
}
