import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { AuditQueryDto } from '@vigil/dto';
import type { StoredAuditEntry } from '@vigil/storage';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorators';
import { readAuditPage } from './audit-page';
import { AuditTrail } from './audit-trail';

/** The audit trail: sign-ins, acknowledgements, changes, exports. Read by administrators and auditors. */
@Controller('api/audit')
@Roles('admin', 'auditor')
export class AuditController {
  constructor(private readonly trail: AuditTrail) {}

  /**
   * Oldest first, at most `limit` (1,000) a page, `Link: rel="next"` to the next; `?subject=` (a
   * patient, device, user or alert), `?actor=`, `?action=`.
   */
  @Get()
  list(
    @Query() query: AuditQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StoredAuditEntry[]> {
    return readAuditPage(this.trail, query, request, response);
  }
}
