import {
  ForbiddenException,
  Injectable,
  UnsupportedMediaTypeException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';

function hasBody(request: Request): boolean {
  return (
    Number(request.headers['content-length'] ?? 0) > 0 ||
    request.headers['transfer-encoding'] !== undefined
  );
}

/**
 * For the routes that set or use the session cookies: a body must be JSON, which no HTML form
 * on another site can send, and a browser's `Origin`, when given, must be this server's own.
 * Together they refuse login CSRF (a sign-in posted from another origin into a victim's browser).
 */
@Injectable()
export class SameOriginJsonGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if ((hasBody(request) || request.headers['content-type'] !== undefined) && !request.is('json'))
      throw new UnsupportedMediaTypeException({
        code: 'REQUEST.MEDIA_TYPE',
        message: ['send the body as application/json'],
      });
    const origin = request.headers.origin;
    if (origin !== undefined && !this.sameOrigin(origin, request))
      throw new ForbiddenException({
        code: 'AUTH.ORIGIN',
        message: ['requests from another origin are refused'],
      });
    return true;
  }

  /** Express's host is the Host header, or X-Forwarded-Host behind a trusted proxy. */
  private sameOrigin(origin: string, request: Request): boolean {
    try {
      return new URL(origin).host === request.host;
    } catch {
      return false;
    }
  }
}
