import { Injectable } from '@nestjs/common';
import type { CareAccessPolicy, CareViewer } from '@vigil/gateway';
import { RegistryService } from '../registry/registry.service';
import { SessionService } from './session.service';
import { UsersService } from './users.service';

/** The gateway's view of sign-in and of which ward each patient lies on. */
@Injectable()
export class CareAccess implements CareAccessPolicy {
  readonly accessEnded$;

  constructor(
    private readonly sessions: SessionService,
    private readonly registry: RegistryService,
    users: UsersService,
  ) {
    this.accessEnded$ = users.accessEnded$;
  }

  async authenticate(
    token: string,
  ): Promise<{ viewer: CareViewer; expiresAt: number } | undefined> {
    const access = await this.sessions.verify(token);
    return access && { viewer: access.user, expiresAt: access.expiresAt };
  }

  wardOf(patientId: string): string | undefined {
    return this.registry.findPatient(patientId)?.ward;
  }
}
