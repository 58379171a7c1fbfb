import type { Socket } from 'node:net';

export class FrameTooLargeError extends Error {
  constructor(
    readonly length: number,
    readonly limit: number,
  ) {
    super(`MQTT packet of ${length} bytes exceeds the ${limit}-byte limit`);
  }
}

/**
 * Reads MQTT fixed headers as bytes arrive and reports a packet that announces a remaining length
 * above `limit`, before its body is buffered: MQTT allows 256 MB packets [MQTT-2.2.3], and the
 * parser would otherwise hold one in memory whole.
 */
export class FrameLengthGuard {
  /** Bytes of the current packet's body still to pass. */
  private bodyLeft = 0;
  /** Inside a fixed header: -1 before the type byte, then the remaining-length bytes read. */
  private headerBytes = -1;
  private length = 0;
  private multiplier = 1;

  constructor(private readonly limit: number) {}

  /** Follows the stream through `chunk`; answers the error once a packet is too large. */
  check(chunk: Buffer): FrameTooLargeError | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const step = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= step;
        i += step;
        continue;
      }
      const byte = chunk[i++];
      if (this.headerBytes < 0) {
        this.headerBytes = 0;
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      // Remaining length: up to four 7-bit groups, least significant first [MQTT-2.2.3].
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.headerBytes += 1;
      if (this.length > this.limit) return new FrameTooLargeError(this.length, this.limit);
      if ((byte & 0x80) === 0 || this.headerBytes === 4) {
        this.bodyLeft = this.length;
        this.headerBytes = -1;
      }
    }
    return undefined;
  }
}

/**
 * Prepares a device's socket for aedes in place, without more streams around it (each costs
 * memory and a hop per message, at 10,000 connections): every chunk aedes reads passes the frame
 * guard, and a packet past `limit` destroys the socket before its body is read; writes are
 * gathered per turn of the event loop, since aedes writes each PUBACK on its own.
 */
export function guardConnection<T extends Socket>(socket: T, limit: number): T {
  const guard = new FrameLengthGuard(limit);
  const read = socket.read.bind(socket);
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  const destroy = socket.destroy.bind(socket);
  let corked = false;
  const flush = () => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  Object.assign(socket, {
    read(size?: number) {
      const chunk = read(size) as Buffer | null;
      const tooLarge = chunk && guard.check(chunk);
      if (!tooLarge) return chunk;
      destroy(tooLarge);
      return null;
    },
    write(...args: unknown[]) {
      if (!corked && !socket.destroyed) {
        corked = true;
        socket.cork();
        setImmediate(flush);
      }
      return write(...args);
    },
    // A CONNACK refusal is written and the connection destroyed at once: send it first.
    destroy(error?: Error) {
      flush();
      return destroy(error);
    },
  });
  return socket;
}
