import { Injectable } from '@nestjs/common';
import type { CareAccessPolicy, CareAuthentication } from '@vigil/gateway';
import { PatientChanges } from '../registry/patient-changes';
import { PatientRegistry } from '../registry/patient-registry';
import { SessionEvents } from './session-events';
import { SessionService } from './session.service';

/** The gateway's view of sign-in and of which ward each patient lies on. */
@Injectable()
export class CareAccess implements CareAccessPolicy {
  readonly sessionsEnded$;
  readonly patientChanges$;

  constructor(
    private readonly sessions: SessionService,
    private readonly patients: PatientRegistry,
    events: SessionEvents,
    changes: PatientChanges,
  ) {
    this.sessionsEnded$ = events.ended$;
    this.patientChanges$ = changes.changes$;
  }

  async authenticate(token: string): Promise<CareAuthentication | undefined> {
    const access = await this.sessions.verify(token);
    return (
      access && { viewer: access.user, sessionId: access.sessionId, expiresAt: access.expiresAt }
    );
  }

  wardOf(patientId: string): string | undefined {
    return this.patients.wardOf(patientId);
  }
}
