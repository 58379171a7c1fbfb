import type { Request } from 'express';

/**
 * A cookie of the request, or undefined. A value that is not valid percent-encoding is read as
 * absent: it cannot be a cookie Vigil set.
 */
export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
