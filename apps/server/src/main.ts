import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/vigil-config';
import { createVigilApp } from './create-vigil-app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await createVigilApp(config);
  await app.listen(config.httpPort, config.bindAddress ?? '0.0.0.0');
  new Logger('Vigil').log(
    `HTTP and Socket.IO on port ${config.httpPort}; data in ${config.dataDir}`,
  );
}

main().catch((error: unknown) => {
  new Logger('Vigil').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
