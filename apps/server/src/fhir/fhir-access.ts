import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { seesWard, type Patient, type UserView } from '@vigil/contracts';
import type { Request } from 'express';
import { ApiClients, type ClientAccess } from '../api-clients/api-clients.service';
import { permits, type FhirInteraction, type FhirResourceType } from '../api-clients/smart-scopes';
import { bearerTokenOf } from '../auth/auth.tokens';
import { SessionService } from '../auth/session.service';

/** Who reads through the FHIR API: a signed-in person, or an API client with its scopes. */
export type FhirReader =
  | { readonly kind: 'user'; readonly user: UserView; readonly by: string }
  | { readonly kind: 'client'; readonly client: ClientAccess; readonly by: string };

interface FhirRequest extends Request {
  fhirReader: FhirReader;
}

/** The reader the FhirAccessGuard found. */
export const Reader = createParamDecorator(
  (_data: unknown, context: ExecutionContext): FhirReader =>
    context.switchToHttp().getRequest<FhirRequest>().fhirReader,
);

/**
 * The FHIR API takes a person's access token, as the rest of the API does, or an API client's
 * token from the client-credentials grant (which no other route takes).
 */
@Injectable()
export class FhirAccessGuard implements CanActivate {
  constructor(
    private readonly clients: ApiClients,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FhirRequest>();
    const token = bearerTokenOf(request);
    if (token) {
      const client = await this.clients.verifyToken(token);
      if (client) {
        request.fhirReader = { kind: 'client', client, by: `client:${client.clientId}` };
        return true;
      }
      const access = await this.sessions.verify(token);
      if (access) {
        request.fhirReader = { kind: 'user', user: access.user, by: access.user.username };
        return true;
      }
    }
    throw new UnauthorizedException({
      code: 'AUTH.REQUIRED',
      message: [
        'Authorization: Bearer <token> is missing, invalid or expired (a person signs in; a system gets a token at /oauth2/token)',
      ],
    });
  }
}

/** A client's scopes must allow the interaction; people read as their role lets them anywhere. */
export function requireScope(
  reader: FhirReader,
  type: FhirResourceType,
  interaction: FhirInteraction,
): void {
  if (reader.kind === 'client' && !permits(reader.client.scopes, type, interaction))
    throw new ForbiddenException({
      code: 'AUTH.SCOPE',
      message: [
        `this client's scopes do not allow ${interaction === 'r' ? 'reading' : 'searching'} ${type} (system/${type}.${interaction} is needed)`,
      ],
    });
}

/** Whether the reader may see this patient: nurses see their wards' patients only. */
export function mayReadPatient(reader: FhirReader, patient: Patient): boolean {
  return reader.kind === 'client' || seesWard(reader.user, patient.ward);
}

export function requirePatient(reader: FhirReader, patient: Patient): void {
  if (!mayReadPatient(reader, patient))
    throw new ForbiddenException({
      code: 'AUTH.WARD',
      message: ['this patient is on a ward you are not assigned to'],
    });
}
