import {
  SetMetadata,
  createParamDecorator,
  type CustomDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import type { UserRole, UserView } from '@vigil/contracts';
import type { Request } from 'express';

export const PUBLIC_ROUTE = 'vigil:public';
export const ALLOWED_ROLES = 'vigil:roles';
export const PATIENT_PARAM = 'vigil:patient-param';

/** Reachable without signing in (login, health, metrics). */
export const Public = (): CustomDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Only these roles; without it, any signed-in user. */
export const Roles = (...roles: UserRole[]): CustomDecorator => SetMetadata(ALLOWED_ROLES, roles);

/** The route param naming a patient: a nurse of another ward gets 403. */
export const PatientWard = (param = 'id'): CustomDecorator => SetMetadata(PATIENT_PARAM, param);

export interface SignedInRequest extends Request {
  user: UserView;
  sessionId: string;
}

/** The signed-in user, set by the AccessGuard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserView =>
    context.switchToHttp().getRequest<SignedInRequest>().user,
);

/** The id of the session the request's access token belongs to, set by the AccessGuard. */
export const CurrentSessionId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<SignedInRequest>().sessionId,
);
