import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MqttBrokerService } from '@vigil/broker';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '../config/vigil-config';
import { EventLoopMonitor } from '../operations/event-loop-monitor';
import { EdgeRelay } from './edge-relay';
import { EdgeWorkerModule } from './edge-worker.module';

/** How often a worker tells the owner how busy its event loop was (its /metrics window). */
const LOAD_REPORT_MS = 10_000;

/** An edge worker's process, forked by the primary's EdgeFleet with the primary's environment. */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(
    EdgeWorkerModule.forRoot(loadConfig(process.env)),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const relay = app.get(EdgeRelay);
  const broker = app.get(MqttBrokerService);
  let stopping = false;
  relay.stop = () => {
    if (stopping) return;
    stopping = true;
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  relay.closeDevice = (deviceId) => broker.disconnect(deviceId);
  await app.init();
  const portOf = (read: () => number) => {
    try {
      return read();
    } catch {
      return null;
    }
  };
  relay.listening(
    portOf(() => broker.port),
    portOf(() => broker.tlsPort),
  );
  const monitor = app.get(EventLoopMonitor);
  setInterval(() => relay.reportLoad(monitor.last), LOAD_REPORT_MS).unref();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
