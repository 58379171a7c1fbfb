import { Duplex, Transform, Writable, type TransformCallback } from 'node:stream';
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
 * Reads MQTT fixed headers as bytes arrive and fails the stream as soon as a packet announces a
 * remaining length above `limit`, before its body is buffered: MQTT allows 256 MB packets
 * [MQTT-2.2.3], and the parser would otherwise hold one in memory whole.
 */
export class MqttFrameLimit extends Transform {
  /** Bytes of the current packet's body still to pass. */
  private bodyLeft = 0;
  /** Inside a fixed header: -1 before the type byte, then the remaining-length bytes read. */
  private headerBytes = -1;
  private length = 0;
  private multiplier = 1;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
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
      if (this.length > this.limit)
        return callback(new FrameTooLargeError(this.length, this.limit));
      if ((byte & 0x80) === 0 || this.headerBytes === 4) {
        this.bodyLeft = this.length;
        this.headerBytes = -1;
      }
    }
    callback(null, chunk);
  }
}

/**
 * Writes to the socket, gathered per turn of the event loop: aedes writes each PUBACK on its
 * own, and a device with twenty messages in flight would otherwise cost twenty system calls.
 */
function coalescingWriter(socket: Socket): Writable {
  let corked = false;
  const flush = () => {
    if (!corked) return;
    corked = false;
    socket.uncork();
  };
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!corked && !socket.destroyed) {
        corked = true;
        socket.cork();
        setImmediate(flush);
      }
      // Done once the socket took it; wait only when its buffer is full, so that a slow reader
      // holds aedes back instead of filling memory.
      if (socket.write(chunk)) callback();
      else socket.once('drain', () => callback());
    },
    // A CONNACK refusal is written and the connection closed in one go: flush it first.
    final(callback) {
      flush();
      socket.end(callback);
    },
    // The error that ends the connection is aedes' own; it is not raised here a second time.
    destroy(_error, callback) {
      flush();
      socket.destroy();
      callback(null);
    },
  });
}

/** The socket as aedes should see it: reads through the limit, writes gathered per turn. */
export function limitFrames(socket: Socket, limit: number): Duplex {
  const limited = socket.pipe(new MqttFrameLimit(limit));
  const connection = Duplex.from({ readable: limited, writable: coalescingWriter(socket) });
  limited.on('error', (error) => {
    connection.destroy(error);
    socket.destroy();
  });
  // A reset peer fails the socket's writes (ECONNRESET): end this connection, not the process.
  socket.on('error', (error) => connection.destroy(error));
  connection.on('close', () => socket.destroy());
  return connection;
}
