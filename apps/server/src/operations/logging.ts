import type { DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Level } from 'pino';
import pretty from 'pino-pretty';
import { requestIdOf } from './request-id';

export type LogLevel = Level | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggingOptions {
  readonly level: LogLevel;
  /** `auto`: readable lines in a terminal, JSON lines otherwise (a file, a container's log). */
  readonly format: LogFormat;
  /** Where the lines go instead of standard output (tests read them). */
  readonly stream?: DestinationStream;
}

/** Polled by monitoring every few seconds: their requests are not logged. */
const QUIET_PATHS = new Set(['/health', '/metrics']);

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0];

/**
 * Structured logs through pino (nestjs-pino): one JSON line per event with `level`, `time`,
 * `component` (the Nest context) and the ids the message names; each HTTP request once, with
 * its id (the `X-Request-Id` it was answered), method, path and status. Never headers, query
 * strings or bodies, so never a token, a password or a vital value.
 */
export function loggingModule({ level, format, stream }: LoggingOptions): DynamicModule {
  const readable = format === 'pretty' || (format === 'auto' && process.stdout.isTTY);
  const destination =
    stream ??
    (readable
      ? pretty({
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss.l',
          messageFormat: '{if component}[{component}] {end}{msg}',
          ignore: 'pid,hostname,component',
        })
      : undefined);
  const options = {
    level,
    genReqId: (request: IncomingMessage) => requestIdOf(request),
    autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.has(pathOf(request.url)) },
    customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    serializers: {
      req: (request: IncomingMessage & { id?: unknown }) => ({
        id: request.id,
        method: request.method,
        path: pathOf(request.url),
      }),
      res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
    },
  } as const;
  return LoggerModule.forRoot({
    renameContext: 'component',
    pinoHttp: destination ? [options, destination] : options,
  });
}
