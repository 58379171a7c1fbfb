import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

const REQUEST_ID = Symbol('requestId');

/** Gives every request an id, answered in `X-Request-Id`, that its logged errors carry. */
export function assignRequestId(request: Request, response: Response, next: NextFunction): void {
  const id = randomUUID();
  (request as Request & { [REQUEST_ID]?: string })[REQUEST_ID] = id;
  response.setHeader('X-Request-Id', id);
  next();
}

export function requestIdOf(request: IncomingMessage): string {
  return (request as IncomingMessage & { [REQUEST_ID]?: string })[REQUEST_ID] ?? randomUUID();
}
