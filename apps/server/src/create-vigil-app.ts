import { ValidationPipe, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { AppModule } from './app.module';
import type { VigilConfig } from './config/vigil-config';
import { DomainErrorFilter } from './operations/domain-error.filter';

/** The OpenAPI document at `/api/openapi.json`, and a reader for it at `/api/docs`. */
function serveOpenApi(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Vigil')
    .setDescription(
      'Remote patient monitoring: patients, devices, vitals history, NEWS2, alerts. Wire contract: README.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'api/openapi.json',
  });
}

export interface CreateVigilAppOptions {
  readonly logger?: LoggerService | LogLevel[] | false;
}

/** Builds the application; the caller decides when to `listen`. Tests use it with port 0. */
export async function createVigilApp(
  config: VigilConfig,
  options: CreateVigilAppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: options.logger,
    ...(config.tls && { httpsOptions: { key: config.tls.key, cert: config.tls.cert } }),
    // Start-up errors (a bad seed file, a taken port) reach the caller instead of aborting.
    abortOnError: false,
  });
  app.enableShutdownHooks();
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.useGlobalFilters(new DomainErrorFilter());
  app.disable('x-powered-by');
  serveOpenApi(app);
  if (existsSync(config.consoleDir)) {
    app.useStaticAssets(config.consoleDir);
  } else {
    (app.getHttpAdapter().getInstance() as Express).get(
      '/',
      (_request: Request, response: Response) =>
        response
          .type('text')
          .send(`The console is not built: ${config.consoleDir} is missing (npm run build).\n`),
    );
  }
  return app;
}
