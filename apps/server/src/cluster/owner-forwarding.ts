import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ForwardedRequest, ForwardedResponse } from '../workers/edge-messages';
import type { ClusterLinks } from './cluster-links';

/** A forwarded body larger than this is refused: no request of the API about a patient is. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Headers of one hop, not of the request or response itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'host',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
]);

/**
 * A forwarded request replayed on this node carries this process's own random mark, which no
 * client can know: it is answered here, never passed on again.
 */
const FORWARDED_HEADER = 'x-vigil-forwarded';
const FORWARDED_MARK = randomBytes(16).toString('hex');

/** The patient a request of the HTTP API is about, when its path names one. */
export function patientOfPath(path: string): string | undefined {
  const match = /^\/api\/patients\/([^/?#]+)/.exec(path);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/**
 * On a cluster, the API about one patient (`/api/patients/:id` and below) is answered by the
 * node that acts for her, which holds her alerts, pauses, NEWS2 and rules: a request that reaches
 * another node is passed to hers over their link and her node's answer returned as it is. The
 * request is authenticated and authorized there, with the same signing key.
 */
export function forwardToOwner(links: ClusterLinks): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const patientId = patientOfPath(request.path);
    if (patientId === undefined || request.headers[FORWARDED_HEADER] === FORWARDED_MARK)
      return next();
    const owner = links.ownerOf(patientId);
    if (owner === undefined) return next();
    if (owner === null) return unavailable(response);
    readBody(request)
      .then((body) =>
        owner.ask({
          kind: 'http',
          method: request.method,
          url: request.originalUrl,
          headers: forwardable(request.headers),
          ...(body.length > 0 && { body: body.toString('base64') }),
        }),
      )
      .then(
        (answer) =>
          'response' in answer ? reply(response, answer.response) : unavailable(response),
        (error: unknown) =>
          error instanceof BodyTooLargeError
            ? refuse(response, 413, 'HTTP.BODY_TOO_LARGE', 'the request body is too large')
            : unavailable(response),
      );
  };
}

/**
 * Answers a request another node passed here, by replaying it to this node's own HTTP server
 * (over TLS when it serves TLS: its own certificate, on its own address).
 */
export function serveForwarded(
  address: () => AddressInfo,
  tls: boolean,
): (request: ForwardedRequest) => Promise<ForwardedResponse> {
  return (forwarded) =>
    new Promise((resolve, reject) => {
      const { address: host, port } = address();
      const body = forwarded.body ? Buffer.from(forwarded.body, 'base64') : undefined;
      const options = {
        host: host === '::' || host === '0.0.0.0' ? 'localhost' : host,
        port,
        method: forwarded.method,
        path: forwarded.url,
        headers: {
          ...forwarded.headers,
          [FORWARDED_HEADER]: FORWARDED_MARK,
          ...(body && { 'content-length': String(body.length) }),
        },
        ...(tls && { rejectUnauthorized: false }),
      };
      const answered = (answer: IncomingMessage) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.once('end', () =>
          resolve({
            status: answer.statusCode ?? 502,
            headers: forwardable(answer.headers),
            body: Buffer.concat(chunks).toString('base64'),
          }),
        );
        answer.once('error', reject);
      };
      const replay = tls ? httpsRequest(options, answered) : httpRequest(options, answered);
      replay.once('error', reject);
      replay.end(body);
    });
}

class BodyTooLargeError extends Error {}

function readBody(request: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.destroy();
        reject(new BodyTooLargeError());
      } else chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

function forwardable(headers: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (HOP_BY_HOP.has(name.toLowerCase()) || value === undefined) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return kept;
}

function reply(response: Response, forwarded: ForwardedResponse): void {
  response.status(forwarded.status);
  for (const [name, value] of Object.entries(forwarded.headers)) response.setHeader(name, value);
  response.end(Buffer.from(forwarded.body, 'base64'));
}

/** Her partition is between nodes for a moment (one died; the lease has not lapsed yet). */
function unavailable(response: Response): void {
  response.setHeader('retry-after', '2');
  refuse(
    response,
    503,
    'CLUSTER.OWNER_UNAVAILABLE',
    'the node acting for this patient does not answer now; try again in a few seconds',
  );
}

function refuse(response: Response, statusCode: number, code: string, message: string): void {
  response.status(statusCode).json({ statusCode, code, message: [message] });
}
