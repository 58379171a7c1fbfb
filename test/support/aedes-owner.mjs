// A process that owns devices, for the routing tests: a bare aedes that takes over the sockets
// a router hands it, replaying the bytes the router read (the CONNECT) before its own reading.
import { Buffer } from 'node:buffer';

const { Aedes } = await import('aedes');
const broker = await Aedes.createBroker();
broker.on('publish', (packet, client) => {
  if (client) process.send({ kind: 'published', clientId: client.id, topic: packet.topic });
});
process.on('message', (message, socket) => {
  if (message?.kind !== 'mqtt' || !socket) return;
  socket.unshift(Buffer.from(message.head, 'base64'));
  broker.handle(socket);
});
process.send({ kind: 'ready', pid: process.pid });
