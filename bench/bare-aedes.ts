// A bare aedes broker, the same version Vigil embeds, with no hooks: the benchmark's yardstick.
// Run as a child process; reports its port over IPC.
import { createServer } from 'node:net';

type AedesModule = typeof import('aedes', { with: { 'resolution-mode': 'import' } });

async function main(): Promise<void> {
  const { Aedes } = (await import('aedes')) as AedesModule;
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ kind: 'listening', port: typeof address === 'object' ? address?.port : 0 });
  });
  process.on('SIGTERM', () => {
    server.close();
    broker.close(() => process.exit(0));
  });
}

void main();
