import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { ApiClientView, RegisteredApiClient } from '@vigil/contracts';
import type { CreateApiClientDto, UpdateApiClientDto } from '@vigil/dto';
import { USER_STORE, auditEntry, type ApiClientRecord, type UserStore } from '@vigil/storage';
import { randomUUID, type JsonWebKey } from 'node:crypto';
import { TOKEN_ISSUER } from '../auth/auth.tokens';
import { hashGeneratedSecret, newSecret, verifySecret } from '../security/secret-hash';
import {
  ClientAssertions,
  JWT_BEARER_ASSERTION,
  assertedClientId,
  publicKeyProblem,
} from './client-assertion';
import { grantedScopes, scopeProblems } from './smart-scopes';

/** The audience of the tokens API clients get: only the FHIR API takes them. */
const CLIENT_TOKEN_AUDIENCE = 'vigil-fhir';
/** SMART Backend Services: an access token should live no longer than five minutes. */
export const CLIENT_TOKEN_SECONDS = 300;
/** Clients are read again from the store at most this often, so a change on another node shows. */
const CLIENTS_FRESH_MS = 5_000;

export class ApiClientNotFoundError extends Error {
  constructor(readonly clientId: string) {
    super(`no API client ${clientId}`);
  }
}

export class ApiClientRulesError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** An OAuth 2.0 token error (RFC 6749 §5.2). */
export class TokenRequestError extends Error {
  constructor(
    readonly error:
      'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
  ) {
    super(description);
  }
}

/** The form fields of a token request, and the client's Basic credentials if it sent them. */
export interface TokenRequest {
  readonly grant_type?: string;
  readonly scope?: string;
  readonly client_id?: string;
  readonly client_secret?: string;
  readonly client_assertion_type?: string;
  readonly client_assertion?: string;
  readonly basic?: { readonly clientId: string; readonly secret: string };
}

export interface IssuedClientToken {
  readonly access_token: string;
  readonly token_type: 'bearer';
  readonly expires_in: number;
  readonly scope: string;
}

/** Who a client token was issued to, and what it may do. */
export interface ClientAccess {
  readonly clientId: string;
  readonly scopes: readonly string[];
}

interface ClientClaims {
  readonly sub: string;
  readonly scope: string;
}

function viewOf(client: ApiClientRecord): ApiClientView {
  return {
    clientId: client.clientId,
    name: client.name,
    scopes: client.scopes,
    authentication: [
      ...(client.secretHash !== null ? (['client_secret'] as const) : []),
      ...(client.publicKeys.length > 0 ? (['private_key_jwt'] as const) : []),
    ],
    keyIds: client.publicKeys.map((key) => key.kid as string),
    disabled: client.disabled,
    createdAt: client.createdAt,
    createdBy: client.createdBy,
  };
}

/**
 * Systems that read through the FHIR API: registered by administrators, each with SMART system
 * scopes; they get short-lived tokens with the OAuth 2.0 client-credentials grant, proving
 * themselves by a secret or a signed assertion.
 */
@Injectable()
export class ApiClients {
  private readonly assertions: ClientAssertions;
  private cache: { readonly at: number; readonly byId: Map<string, ApiClientRecord> } | undefined;

  constructor(
    @Inject(USER_STORE) private readonly store: UserStore,
    private readonly jwt: JwtService,
  ) {
    this.assertions = new ClientAssertions(jwt);
  }

  async list(): Promise<ApiClientView[]> {
    return [...(await this.clients(true)).values()].map(viewOf);
  }

  async register(dto: CreateApiClientDto, by: string): Promise<RegisteredApiClient> {
    const publicKeys = (dto.publicKeys ?? []) as JsonWebKey[];
    const problems = [
      ...scopeProblems(dto.scopes),
      ...publicKeys.flatMap((key) => publicKeyProblem(key) ?? []),
    ];
    if (new Set(publicKeys.map((key) => key.kid)).size < publicKeys.length)
      problems.push('publicKeys: each kid once');
    if (problems.length > 0) throw new ApiClientRulesError(problems);
    const clientSecret = publicKeys.length === 0 ? newSecret() : undefined;
    const client: ApiClientRecord = {
      clientId: randomUUID(),
      name: dto.name,
      scopes: [...new Set(dto.scopes)],
      secretHash: clientSecret === undefined ? null : hashGeneratedSecret(clientSecret),
      publicKeys: publicKeys.map(
        ({ kty, crv, x, y, n, e, kid }) =>
          JSON.parse(JSON.stringify({ kty, crv, x, y, n, e, kid })) as JsonWebKey,
      ),
      disabled: false,
      createdAt: new Date().toISOString(),
      createdBy: by,
    };
    await this.save(client, by, 'api-client.registered', undefined);
    return { client: viewOf(client), ...(clientSecret !== undefined && { clientSecret }) };
  }

  async update(clientId: string, dto: UpdateApiClientDto, by: string): Promise<ApiClientView> {
    const before = await this.require(clientId);
    if (dto.scopes) {
      const problems = scopeProblems(dto.scopes);
      if (problems.length > 0) throw new ApiClientRulesError(problems);
    }
    const after: ApiClientRecord = {
      ...before,
      ...(dto.scopes && { scopes: [...new Set(dto.scopes)] }),
      ...(dto.disabled !== undefined && { disabled: dto.disabled }),
    };
    await this.save(after, by, 'api-client.updated', before);
    return viewOf(after);
  }

  /** A new secret; the old one stops working at once. */
  async rotateSecret(clientId: string, by: string): Promise<RegisteredApiClient> {
    const before = await this.require(clientId);
    const clientSecret = newSecret();
    const after = { ...before, secretHash: hashGeneratedSecret(clientSecret) };
    await this.save(after, by, 'api-client.secret-rotated', undefined);
    return { client: viewOf(after), clientSecret };
  }

  /** RFC 6749 §4.4, client authentication by secret (§2.3.1) or by assertion (RFC 7523). */
  async issueToken(request: TokenRequest, tokenEndpoint: string): Promise<IssuedClientToken> {
    if (request.grant_type !== 'client_credentials')
      throw new TokenRequestError(
        'unsupported_grant_type',
        'only grant_type=client_credentials is supported',
      );
    const client = await this.authenticate(request, tokenEndpoint);
    const scopes = grantedScopes(client.scopes, request.scope);
    if (scopes.length === 0)
      throw new TokenRequestError(
        'invalid_scope',
        'none of the scopes asked for is granted to this client',
      );
    const access_token = await this.jwt.signAsync(
      { sub: client.clientId, scope: scopes.join(' ') },
      { expiresIn: CLIENT_TOKEN_SECONDS, issuer: TOKEN_ISSUER, audience: CLIENT_TOKEN_AUDIENCE },
    );
    return {
      access_token,
      token_type: 'bearer',
      expires_in: CLIENT_TOKEN_SECONDS,
      scope: scopes.join(' '),
    };
  }

  /** The client and scopes of a token this service issued, while the client is enabled. */
  async verifyToken(token: string): Promise<ClientAccess | undefined> {
    let claims: ClientClaims;
    try {
      claims = await this.jwt.verifyAsync<ClientClaims>(token, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: CLIENT_TOKEN_AUDIENCE,
      });
    } catch {
      return undefined;
    }
    const client = (await this.clients(false)).get(claims.sub);
    if (!client || client.disabled) return undefined;
    // Scopes taken from the client since the token was issued are taken from the token too.
    const scopes = claims.scope.split(' ').filter((scope) => client.scopes.includes(scope));
    return { clientId: client.clientId, scopes };
  }

  private async authenticate(
    request: TokenRequest,
    tokenEndpoint: string,
  ): Promise<ApiClientRecord> {
    const refused = new TokenRequestError('invalid_client', 'client authentication failed');
    if (request.client_assertion !== undefined || request.client_assertion_type !== undefined) {
      if (request.client_assertion_type !== JWT_BEARER_ASSERTION || !request.client_assertion)
        throw new TokenRequestError(
          'invalid_request',
          `client_assertion_type must be ${JWT_BEARER_ASSERTION}`,
        );
      const clientId = request.client_id ?? assertedClientId(this.jwt, request.client_assertion);
      const client = clientId === undefined ? undefined : (await this.clients(false)).get(clientId);
      if (!client || client.disabled || client.publicKeys.length === 0) throw refused;
      const nowS = Math.floor(Date.now() / 1000);
      const verified = await this.assertions.verify(
        request.client_assertion,
        client.clientId,
        client.publicKeys,
        tokenEndpoint,
        nowS,
      );
      if (!verified) throw refused;
      return client;
    }
    const clientId = request.basic?.clientId ?? request.client_id;
    const secret = request.basic?.secret ?? request.client_secret;
    if (clientId === undefined || secret === undefined)
      throw new TokenRequestError(
        'invalid_client',
        'give client_id and client_secret, or a client_assertion',
      );
    const client = (await this.clients(false)).get(clientId);
    if (!client || client.disabled || client.secretHash === null) throw refused;
    if (!(await verifySecret(secret, client.secretHash))) throw refused;
    return client;
  }

  private async require(clientId: string): Promise<ApiClientRecord> {
    const client = (await this.clients(true)).get(clientId);
    if (!client) throw new ApiClientNotFoundError(clientId);
    return client;
  }

  private async save(
    client: ApiClientRecord,
    by: string,
    action: string,
    before: ApiClientRecord | undefined,
  ): Promise<void> {
    const shown = (record: ApiClientRecord | undefined) => record && viewOf(record);
    await this.store.saveApiClient(
      client,
      auditEntry(by, action, client.clientId, shown(before), shown(client)),
    );
    this.cache = undefined;
  }

  private async clients(fresh: boolean): Promise<Map<string, ApiClientRecord>> {
    const now = Date.now();
    if (fresh || !this.cache || now - this.cache.at > CLIENTS_FRESH_MS) {
      const clients = await this.store.listApiClients();
      this.cache = { at: now, byId: new Map(clients.map((client) => [client.clientId, client])) };
    }
    return this.cache.byId;
  }
}
