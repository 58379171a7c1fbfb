import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { Request } from 'express';
import { encodeCursor, type Cursor } from './fhir-search';

/** The FHIR API's base URL as the client addressed it. */
export function fhirBaseOf(request: Request): string {
  return `${request.protocol}://${request.host}/fhir`;
}

/** The request's own URL with `_cursor` set to where the next page resumes. */
function pageUrl(request: Request, cursor: Cursor | undefined): string {
  const url = new URL(request.originalUrl, `${request.protocol}://${request.host}`);
  url.searchParams.delete('_cursor');
  if (cursor) url.searchParams.set('_cursor', encodeCursor(cursor));
  return url.toString();
}

/**
 * A searchset Bundle. `total` is given only when it costs nothing: a first page that holds every
 * match.
 */
export function searchset(
  request: Request,
  resources: readonly Resource[],
  next: Cursor | undefined,
  firstPage: boolean,
): Bundle {
  const base = fhirBaseOf(request);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(firstPage && next === undefined && { total: resources.length }),
    link: [
      { relation: 'self', url: `${request.protocol}://${request.host}${request.originalUrl}` },
      ...(next ? [{ relation: 'next', url: pageUrl(request, next) }] : []),
    ],
    entry: resources.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}
