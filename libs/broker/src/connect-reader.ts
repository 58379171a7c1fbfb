import mqttPacket from 'mqtt-packet';
import type { Socket } from 'node:net';

/** What a connection said first: who it is, and every byte read, to be replayed to the broker. */
export interface ConnectHead {
  readonly clientId: string;
  readonly username?: string;
  /** The bytes read so far, CONNECT first; the broker that takes the socket reads them again. */
  readonly head: Buffer;
}

export interface ConnectReaderLimits {
  /** A CONNECT not complete by then closes the connection. */
  readonly timeoutMs: number;
  /** Nor may it take more bytes than this (a CONNECT is a few hundred bytes). */
  readonly maxBytes: number;
}

export class ConnectRefusedError extends Error {}

/**
 * Reads a new MQTT connection's CONNECT packet without answering it, so that the process owning
 * the device's patient can take the socket over and be the broker it talks to (the design in
 * docs/decisions/scale-out.md). Reading stops at the CONNECT; the socket is left paused, and
 * `head` holds every byte read. Anything else first, a malformed or oversized packet, or silence
 * past the limit closes the connection.
 */
export function readConnect(socket: Socket, limits: ConnectReaderLimits): Promise<ConnectHead> {
  return new Promise((resolve, reject) => {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (outcome: ConnectHead | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.pause();
      if (outcome instanceof Error) {
        socket.destroy();
        reject(outcome);
      } else resolve(outcome);
    };
    const timer = setTimeout(
      () => finish(new ConnectRefusedError(`no CONNECT within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes > limits.maxBytes)
        return finish(new ConnectRefusedError(`no CONNECT within ${limits.maxBytes} bytes`));
      parser.parse(chunk);
    };
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(new ConnectRefusedError('closed before CONNECT'));
    parser.on('packet', (packet: mqttPacket.Packet) => {
      if (packet.cmd !== 'connect')
        return finish(new ConnectRefusedError(`${packet.cmd} before CONNECT`));
      finish({
        clientId: packet.clientId,
        ...(packet.username !== undefined && { username: packet.username }),
        head: Buffer.concat(chunks),
      });
    });
    parser.on('error', (error: Error) => finish(new ConnectRefusedError(error.message)));
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}
