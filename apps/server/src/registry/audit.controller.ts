import { Controller, Get, Query } from '@nestjs/common';
import type { AuditEntry } from '@vigil/storage';
import { Roles } from '../auth/access.decorators';
import { RegistryService } from './registry.service';

/** The audit trail: sign-ins, acknowledgements, changes, exports. Read by administrators and auditors. */
@Controller('api/audit')
@Roles('admin', 'auditor')
export class AuditController {
  constructor(private readonly registry: RegistryService) {}

  /** Oldest first; `?subject=` (a patient, device, user or alert), `?actor=`, `?action=`. */
  @Get()
  list(
    @Query('subject') subject?: string,
    @Query('actor') actor?: string,
    @Query('action') action?: string,
  ): Promise<AuditEntry[]> {
    return this.registry.auditTrail({ subject, actor, action });
  }
}
