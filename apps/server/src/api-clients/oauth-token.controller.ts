import { Controller, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorators';
import { ApiClients, TokenRequestError, type TokenRequest } from './api-clients.service';

export const TOKEN_PATH = 'oauth2/token';

/** The token endpoint's URL as a client addresses it: the audience of its signed assertions. */
export function tokenEndpointOf(request: Request): string {
  return `${request.protocol}://${request.host}/${TOKEN_PATH}`;
}

function basicCredentials(header: string | undefined): TokenRequest['basic'] {
  const [scheme, encoded] = (header ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-encoded before Basic encoding.
  const unform = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  try {
    return { clientId: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

const FIELDS = [
  'grant_type',
  'scope',
  'client_id',
  'client_secret',
  'client_assertion_type',
  'client_assertion',
] as const;

/**
 * OAuth 2.0 client-credentials grant for API clients (RFC 6749 §4.4), with secrets or SMART
 * Backend Services assertions. Answers and errors are OAuth's own JSON, not Vigil's error shape,
 * because OAuth client libraries read them.
 */
@Controller(TOKEN_PATH)
export class OAuthTokenController {
  constructor(private readonly clients: ApiClients) {}

  @Post()
  @Public()
  async token(@Req() request: Request, @Res() response: Response): Promise<void> {
    response.setHeader('Cache-Control', 'no-store');
    if (!request.is('application/x-www-form-urlencoded')) {
      response.status(400).json({
        error: 'invalid_request',
        error_description: 'send the request as application/x-www-form-urlencoded',
      });
      return;
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const name of FIELDS) {
      const value = body[name];
      if (typeof value === 'string') fields[name] = value;
      else if (value !== undefined) {
        response
          .status(400)
          .json({ error: 'invalid_request', error_description: `${name}: give it once` });
        return;
      }
    }
    const basic = basicCredentials(request.headers.authorization);
    try {
      response
        .status(200)
        .json(
          await this.clients.issueToken(
            { ...fields, ...(basic && { basic }) },
            tokenEndpointOf(request),
          ),
        );
    } catch (error) {
      if (!(error instanceof TokenRequestError)) throw error;
      if (error.error === 'invalid_client' && basic)
        response.setHeader('WWW-Authenticate', 'Basic realm="vigil"');
      response
        .status(error.error === 'invalid_client' ? 401 : 400)
        .json({ error: error.error, error_description: error.description });
    }
  }
}
