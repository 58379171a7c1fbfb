import type { JwtService } from '@nestjs/jwt';
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** SMART Backend Services' assertion type (RFC 7523). */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The algorithms SMART Backend Services requires servers to support. */
const ALGORITHMS = ['RS384', 'ES384'] as const;
/** An assertion may not be valid for longer than this (SMART: exp at most 5 minutes ahead). */
const MAX_LIFETIME_S = 300;
/** Assertion ids remembered against replay; beyond this many live ones, assertions are refused. */
const MAX_REMEMBERED = 10_000;

/** Why a key cannot check assertions, or undefined when it can. */
export function publicKeyProblem(jwk: JsonWebKey): string | undefined {
  if (jwk.d !== undefined) return 'publicKeys: a private key was given; give only the public key';
  if (typeof jwk.kid !== 'string' || jwk.kid === '') return 'publicKeys: each key needs a kid';
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return `publicKeys: ${jwk.kid} is not a public JWK`;
  }
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return undefined;
  if (key.asymmetricKeyType === 'ec' && ['P-256', 'P-384'].includes(jwk.crv ?? ''))
    return undefined;
  return `publicKeys: ${jwk.kid} must be RSA of 2048 bits or more, or EC P-256 or P-384`;
}

export interface AssertionClaims {
  readonly iss: string;
  readonly sub: string;
  readonly jti: string;
  readonly exp: number;
}

/** The client an assertion says it comes from (`iss`), read before its signature is checked. */
export function assertedClientId(jwt: JwtService, assertion: string): string | undefined {
  const claims = jwt.decode<Partial<AssertionClaims> | null>(assertion);
  return typeof claims?.iss === 'string' ? claims.iss : undefined;
}

/**
 * Checks signed client assertions (RFC 7523 §3, SMART Backend Services): signed by one of the
 * client's keys (chosen by `kid`), `iss` and `sub` the client, `aud` the token endpoint, at most
 * five minutes to live, and each `jti` used once.
 */
export class ClientAssertions {
  private readonly used = new Map<string, number>();

  constructor(private readonly jwt: JwtService) {}

  async verify(
    assertion: string,
    clientId: string,
    keys: readonly JsonWebKey[],
    tokenEndpoint: string,
    nowS: number,
  ): Promise<boolean> {
    const header = (
      this.jwt.decode(assertion, { complete: true }) as { header?: { kid?: unknown } } | null
    )?.header;
    const candidates = keys.filter((key) => header?.kid === undefined || key.kid === header.kid);
    for (const jwk of candidates) {
      let claims: AssertionClaims;
      try {
        claims = await this.jwt.verifyAsync<AssertionClaims>(assertion, {
          // `secret`, not `publicKey`: @nestjs/jwt prefers the module's own secret over the latter.
          secret: createPublicKey({ key: jwk, format: 'jwk' })
            .export({ type: 'spki', format: 'pem' })
            .toString(),
          algorithms: [...ALGORITHMS],
          issuer: clientId,
          subject: clientId,
          audience: tokenEndpoint,
        });
      } catch {
        continue;
      }
      if (typeof claims.jti !== 'string' || claims.exp > nowS + MAX_LIFETIME_S) return false;
      return this.useOnce(`${clientId} ${claims.jti}`, claims.exp, nowS);
    }
    return false;
  }

  private useOnce(id: string, exp: number, nowS: number): boolean {
    for (const [seen, until] of this.used) if (until < nowS) this.used.delete(seen);
    if (this.used.has(id) || this.used.size >= MAX_REMEMBERED) return false;
    this.used.set(id, exp);
    return true;
  }
}
