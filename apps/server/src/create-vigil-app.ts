import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClusterIoAdapter } from '@vigil/gateway';
import { createClient } from 'redis';
import { AppModule } from './app.module';
import { ClusterLinks } from './cluster/cluster-links';
import { forwardToOwner, serveForwarded } from './cluster/owner-forwarding';
import type { VigilConfig } from './config/vigil-config';
import { HttpErrorFilter } from './operations/http-error.filter';
import { assignRequestId } from './operations/request-id';

/** The OpenAPI document at `/api/openapi.json`, and a reader for it at `/api/docs`. */
function serveOpenApi(app: NestExpressApplication, tls: boolean): void {
  // Swagger UI's page styles itself inline; its scripts stay Vigil's own.
  app.use('/api/docs', securityHeaders(tls, { inlineStyles: true }));
  const config = new DocumentBuilder()
    .setTitle('Vigil')
    .setDescription(
      'Remote patient monitoring: patients, devices, vitals history, NEWS2, alerts. Reference: docs/ in the repository.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'api/openapi.json',
  });
}

/**
 * Helmet's headers with a Content-Security-Policy that lets the console load only its own
 * scripts, styles and socket, and no page frame it (the one-click Acknowledge cannot be
 * clickjacked); `nosniff`; no referrer. HSTS and upgrading requests only where there is TLS.
 */
function securityHeaders(tls: boolean, { inlineStyles = false } = {}) {
  return helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: tls ? [] : null,
      },
    },
    strictTransportSecurity: tls,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

export interface CreateVigilAppOptions {
  /** Where the log lines go instead of standard output (tests read them). */
  readonly logStream?: DestinationStream;
}

/** How long a start waits for Redis before giving up. */
const REDIS_START_ATTEMPTS = 20;
const REDIS_RETRY_MS = 250;
/** Once up, a lost Redis is retried at most this far apart. */
const REDIS_MAX_RETRY_MS = 2_000;

/**
 * The Redis client the consoles' events travel through. A Redis that does not answer within five
 * seconds of the start stops the start; one lost later is retried for as long as it takes, and
 * its loss logged once, not at every attempt.
 */
async function connectRedis(url: string, app: NestExpressApplication) {
  const logger = app.get(Logger);
  const where = new URL(url).host;
  let up = false;
  let lossLogged = false;
  const client = createClient({
    url,
    socket: {
      reconnectStrategy: (retries, cause) =>
        up
          ? Math.min(REDIS_RETRY_MS * 2 ** retries, REDIS_MAX_RETRY_MS)
          : retries >= REDIS_START_ATTEMPTS
            ? new Error(`${retries} attempts failed, the last: ${(cause as Error).message}`)
            : REDIS_RETRY_MS,
    },
  });
  client.on('ready', () => {
    if (lossLogged) logger.log(`Redis at ${where} is back`, 'ClusterIoAdapter');
    up = true;
    lossLogged = false;
  });
  client.on('error', (error: Error) => {
    if (!up || lossLogged) return;
    lossLogged = true;
    logger.warn(`Redis at ${where} lost (${error.message}); retrying`, 'ClusterIoAdapter');
  });
  try {
    await client.connect();
  } catch (error) {
    await app.close();
    throw new Error(`REDIS_URL: Redis at ${where} does not answer (${String(error)})`);
  }
  return client;
}

/** Builds the application; the caller decides when to `listen`. Tests use it with port 0. */
export async function createVigilApp(
  config: VigilConfig,
  options: CreateVigilAppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, options.logStream),
    {
      // Start-up lines wait for pino, so every line has one format.
      bufferLogs: true,
      ...(config.tls && { httpsOptions: { key: config.tls.key, cert: config.tls.cert } }),
      // Start-up errors (a bad seed file, a taken port) reach the caller instead of aborting.
      abortOnError: false,
      // Signed requests (a gateway's answers to webhooks) are verified on the bytes sent.
      rawBody: true,
    },
  );
  app.useLogger(app.get(Logger));
  if (config.redisUrl)
    app.useWebSocketAdapter(new ClusterIoAdapter(app, await connectRedis(config.redisUrl, app)));
  app.enableShutdownHooks();
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
  );
  app.use(assignRequestId);
  if (config.cluster) {
    // Before the body parsers: a request about another node's patient goes there as it came.
    const links = app.get(ClusterLinks);
    app.use(forwardToOwner(links));
    const server = app.getHttpServer() as Server;
    links.serveHttpWith(serveForwarded(() => server.address() as AddressInfo, Boolean(config.tls)));
  }
  app.useGlobalFilters(new HttpErrorFilter());
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders(Boolean(config.tls)));
  if (config.apiDocs) serveOpenApi(app, Boolean(config.tls));
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
