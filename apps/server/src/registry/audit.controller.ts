import { Controller, Get, Query } from '@nestjs/common';
import type { AuditEntry } from '@vigil/storage';
import { RegistryService } from './registry.service';

/** The audit trail: who changed what, when, from what to what. Roles arrive with issue 6. */
@Controller('api/audit')
export class AuditController {
  constructor(private readonly registry: RegistryService) {}

  /** Every entry, oldest first, or only those about one patient or device (`?subject=`). */
  @Get()
  list(@Query('subject') subject?: string): Promise<AuditEntry[]> {
    return this.registry.auditTrail(subject);
  }
}
