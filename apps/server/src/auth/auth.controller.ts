import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { type SessionView, type UserView } from '@vigil/contracts';
import { ChangePasswordDto, LoginDto } from '@vigil/dto';
import type { Request, Response } from 'express';
import type { AuthOptions } from '../config/vigil-config';
import { CurrentSessionId, CurrentUser, Public } from './access.decorators';
import { AUTH_OPTIONS, bearerTokenOf } from './auth.tokens';
import { readCookie } from './cookies';
import { DEVICE_TOKEN_SECONDS, LoginService } from './login.service';
import { SameOriginJsonGuard } from './same-origin-json.guard';
import { SessionService, type IssuedSession } from './session.service';

const REFRESH_COOKIE = 'vigil_refresh';
const COOKIE_PATH = '/api/auth';
/** One per user who signed in from this browser, so a shared ward computer knows each nurse. */
const deviceCookie = (username: string) => `vigil_device_${username}`;

function throttled(retryAfterMs: number, response: Response, message: string): HttpException {
  response.setHeader('Retry-After', Math.ceil(retryAfterMs / 1000));
  return new HttpException(
    { code: 'AUTH.THROTTLED', message: [message] },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

/**
 * Sign-in. The access token is returned in the body, for the console to keep in memory; the
 * refresh token only as an HttpOnly, SameSite=Strict cookie scoped to `/api/auth`, out of reach
 * of scripts and of every other route's logs. Every route here takes JSON only, from this origin.
 */
@Controller('api/auth')
@UseGuards(SameOriginJsonGuard)
export class AuthController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionService,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {}

  /** 200 with a session; 401 for a wrong user name or password (not told apart); 429 when throttled. */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(
    @Body() body: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    const outcome = await this.logins.login(
      body.username,
      body.password,
      request.ip ?? '',
      readCookie(request, deviceCookie(body.username)),
    );
    if (outcome.ok) {
      const view = this.answer(outcome.session, response);
      response.cookie(deviceCookie(view.user.username), outcome.deviceToken, {
        ...this.cookieOptions(),
        maxAge: DEVICE_TOKEN_SECONDS * 1000,
      });
      return view;
    }
    if (outcome.retryAfterMs)
      throw throttled(outcome.retryAfterMs, response, 'too many failed sign-ins; try again later');
    throw new UnauthorizedException({
      code: 'AUTH.INVALID',
      message: ['user name or password is wrong'],
    });
  }

  /** A new access token (and refresh cookie) for the refresh cookie, which is used up. */
  @Public()
  @Post('refresh')
  @HttpCode(200)
  async refresh(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionView> {
    const token = readCookie(request, REFRESH_COOKIE);
    const session = token && (await this.sessions.refresh(token, request.ip ?? ''));
    if (!session) {
      response.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      throw new UnauthorizedException({
        code: 'AUTH.REFRESH',
        message: ['the session has ended; sign in again'],
      });
    }
    return this.answer(session, response);
  }

  /**
   * Ends the session: its refresh cookie and every access token issued for it. The session is
   * the access token's or, when that has expired, the refresh cookie's: a nurse signing out of a
   * shared computer ends her session either way. 204 also when there was none.
   */
  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const token = bearerTokenOf(request);
    const access = token ? await this.sessions.verify(token) : undefined;
    const cookie = readCookie(request, REFRESH_COOKIE);
    const session = access
      ? { id: access.sessionId, username: access.user.username }
      : cookie && (await this.sessions.sessionOf(cookie));
    if (session) await this.logins.logout(session.username, session.id, request.ip ?? '');
    response.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Get('me')
  me(@CurrentUser() user: UserView): UserView {
    return user;
  }

  /** Changes the signed-in user's password; her other sessions end. Throttled like sign-in. */
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @CurrentUser() user: UserView,
    @CurrentSessionId() sessionId: string,
    @Body() body: ChangePasswordDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const outcome = await this.logins.changePassword(
      user,
      sessionId,
      body.currentPassword,
      body.newPassword,
      request.ip ?? '',
    );
    if (outcome === 'changed') return;
    if (outcome === 'wrong')
      throw new UnauthorizedException({
        code: 'AUTH.INVALID',
        message: ['the current password is wrong'],
      });
    throw throttled(outcome.retryAfterMs, response, 'too many wrong passwords; try again later');
  }

  private cookieOptions() {
    return {
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: this.options.secureCookies,
      path: COOKIE_PATH,
    };
  }

  private answer(session: IssuedSession, response: Response): SessionView {
    response.cookie(REFRESH_COOKIE, session.refreshToken, {
      ...this.cookieOptions(),
      maxAge: session.refreshExpiresIn * 1000,
    });
    response.setHeader('Cache-Control', 'no-store');
    const { refreshToken: _token, refreshExpiresIn: _expires, ...view } = session;
    return view;
  }
}
