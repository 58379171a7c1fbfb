import type { Request } from 'express';

/** The issuer of every token Vigil signs; a person's tokens also name it as their audience. */
export const TOKEN_ISSUER = 'vigil';

/** The token of `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 7235 §2.1). */
export function bearerTokenOf(request: Pick<Request, 'headers'>): string | undefined {
  const [scheme, token] = (request.headers.authorization ?? '').split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

export const AUTH_OPTIONS = Symbol('AuthOptions');
/** Where the generated signing key and first administrator password are kept. */
export const AUTH_DATA_DIR = Symbol('AuthDataDir');
