import type { Request, Response } from 'express';

/**
 * Points to the next page (RFC 8288 `Link: <…>; rel="next"`): the same request with `after` set
 * to the cursor. Lists keep their array bodies, so clients that read one page see no change.
 */
export function linkNextPage(request: Request, response: Response, cursor: string): void {
  const url = new URL(request.originalUrl, 'http://vigil.invalid');
  url.searchParams.set('after', cursor);
  response.setHeader('Link', `<${url.pathname}${url.search}>; rel="next"`);
}
