import { MAX_AUDIT_PAGE } from '@vigil/contracts';
import { type AuditQueryDto } from '@vigil/dto';
import type { StoredAuditEntry } from '@vigil/storage';
import type { Request, Response } from 'express';
import { linkNextPage } from '../operations/next-page';
import type { AuditTrail } from './audit-trail';

/** One page of the audit trail, oldest first; `Link: rel="next"` when there may be more. */
export async function readAuditPage(
  trail: AuditTrail,
  query: AuditQueryDto,
  request: Request,
  response: Response,
): Promise<StoredAuditEntry[]> {
  const limit = query.limit ?? MAX_AUDIT_PAGE;
  const entries = await trail.list({ ...query, limit });
  if (entries.length === limit) linkNextPage(request, response, String(entries[limit - 1].id));
  return entries;
}
