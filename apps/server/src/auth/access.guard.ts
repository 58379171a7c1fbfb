import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { seesWard, type UserRole } from '@vigil/contracts';
import { PatientRegistry } from '../registry/patient-registry';
import {
  ALLOWED_ROLES,
  PATIENT_PARAM,
  PUBLIC_ROUTE,
  type SignedInRequest,
} from './access.decorators';
import { bearerTokenOf } from './auth.tokens';
import { SessionService } from './session.service';

/**
 * Every HTTP route needs a valid access token unless marked @Public; @Roles narrows the roles,
 * and @PatientWard keeps nurses and charge nurses to their wards' patients.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly patients: PatientRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    const token = bearerTokenOf(request);
    const access = token ? await this.sessions.verify(token) : undefined;
    if (!access) {
      throw new UnauthorizedException({
        code: 'AUTH.REQUIRED',
        message: ['sign in: Authorization: Bearer <access token> is missing, invalid or expired'],
      });
    }
    request.user = access.user;
    request.sessionId = access.sessionId;
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(access.user.role)) {
      throw new ForbiddenException({
        code: 'AUTH.ROLE',
        message: [`this needs the role ${roles.join(' or ')}`],
      });
    }
    const param = this.reflector.getAllAndOverride<string | undefined>(PATIENT_PARAM, targets);
    const patient = param && this.patients.find(request.params[param] as string);
    if (patient && !seesWard(access.user, patient.ward)) {
      throw new ForbiddenException({
        code: 'AUTH.WARD',
        message: ['this patient is on a ward you are not assigned to'],
      });
    }
    return true;
  }
}
