// Proves the first step of routing a device to the process that owns its patient
// (docs/decisions/scale-out.md): a router reads a real mqtt.js client's CONNECT without answering
// it and hands the socket, with the bytes read, to another process running aedes, which
// completes the session: CONNACK, and a QoS 1 publish acknowledged. Anything but a CONNECT first,
// or silence, is closed.
import { readConnect, type ConnectHead } from '@vigil/broker';
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, connect as connectTcp, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';

const LIMITS = { timeoutMs: 1_000, maxBytes: 16 * 1024 };

describe('handing a device connection to the process that owns it', () => {
  let owners: ChildProcess[];
  let router: Server;
  let port: number;
  const routed: ConnectHead[] = [];
  const refusals: string[] = [];
  const published: { owner: number; clientId: string }[] = [];

  beforeAll(async () => {
    owners = await Promise.all(
      [0, 1].map(
        (index) =>
          new Promise<ChildProcess>((resolve, reject) => {
            const owner = fork(join(__dirname, 'support/aedes-owner.mjs'), [], {
              stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
              execArgv: [],
            });
            owner.on('message', (message: { kind: string; clientId?: string }) => {
              if (message.kind === 'ready') resolve(owner);
              if (message.kind === 'published')
                published.push({ owner: index, clientId: message.clientId as string });
            });
            owner.once('error', reject);
          }),
      ),
    );
    // The owner is chosen from the CONNECT; here by the client id's last character.
    router = createServer({ pauseOnConnect: false }, (socket) => {
      readConnect(socket, LIMITS).then(
        (connect) => {
          routed.push(connect);
          const owner = owners[connect.clientId.endsWith('1') ? 1 : 0];
          owner.send({ kind: 'mqtt', head: connect.head.toString('base64') }, socket);
        },
        (error: Error) => refusals.push(error.message),
      );
    });
    await new Promise<void>((resolve) => router.listen(0, '127.0.0.1', resolve));
    port = (router.address() as AddressInfo).port;
  });

  afterAll(() => {
    // The sockets handed over are the owners' now: the router does not wait for them.
    router.close();
    for (const owner of owners) owner.kill();
  });

  it('lets the owning process complete the session the router began', async () => {
    const clients = await Promise.all(
      ['wear-0', 'wear-1'].map((clientId) =>
        mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
          clientId,
          username: clientId,
          reconnectPeriod: 0,
          connectTimeout: 5_000,
        }),
      ),
    );
    for (const [index, client] of clients.entries())
      await client.publishAsync(`devices/wear-${index}/vitals`, '{}', { qos: 1 });
    // The owners report each publish over IPC, which may trail the PUBACK a little.
    for (let wait = 0; published.length < 2 && wait < 50; wait++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(routed.map((connect) => [connect.clientId, connect.username])).toEqual(
      expect.arrayContaining([
        ['wear-0', 'wear-0'],
        ['wear-1', 'wear-1'],
      ]),
    );
    expect(published).toEqual(
      expect.arrayContaining([
        { owner: 0, clientId: 'wear-0' },
        { owner: 1, clientId: 'wear-1' },
      ]),
    );
    await Promise.all(clients.map((client) => client.endAsync()));
  });

  it('closes a connection that sends anything but a CONNECT first, an endless one, or nothing', async () => {
    const closed = (send?: Buffer) =>
      new Promise<void>((resolve) => {
        const socket = connectTcp(port, '127.0.0.1', () => {
          if (send) socket.write(send);
        });
        socket.on('close', () => resolve());
        socket.on('error', () => undefined);
      });
    // PINGREQ before CONNECT, then silence.
    await closed(Buffer.from([0xc0, 0x00]));
    const started = Date.now();
    await closed();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // A CONNECT announcing 2 MB (remaining length 0x80 0x80 0x80 0x01), fed past the limit.
    await closed(
      Buffer.concat([Buffer.from([0x10, 0x80, 0x80, 0x80, 0x01]), Buffer.alloc(20_000)]),
    );
    expect(refusals).toEqual([
      'pingreq before CONNECT',
      'no CONNECT within 1000 ms',
      'no CONNECT within 16384 bytes',
    ]);
  });
});
