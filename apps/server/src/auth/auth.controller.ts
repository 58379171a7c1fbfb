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
} from '@nestjs/common';
import { ChangePasswordDto, LoginDto, type SessionView, type UserView } from '@vigil/contracts';
import type { Request, Response } from 'express';
import type { AuthOptions } from '../config/vigil-config';
import { CurrentUser, Public } from './access.decorators';
import { AUTH_OPTIONS } from './auth.tokens';
import { LoginService } from './login.service';
import { SessionService, type IssuedSession } from './session.service';
import { UsersService } from './users.service';

const REFRESH_COOKIE = 'vigil_refresh';
const COOKIE_PATH = '/api/auth';

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Sign-in. The access token is returned in the body, for the console to keep in memory; the
 * refresh token only as an HttpOnly, SameSite=Strict cookie scoped to `/api/auth`, out of reach
 * of scripts and of every other route's logs.
 */
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly logins: LoginService,
    private readonly sessions: SessionService,
    private readonly users: UsersService,
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
    const outcome = await this.logins.login(body.username, body.password, request.ip ?? '');
    if (outcome.ok) return this.answer(outcome.session, response);
    if (outcome.retryAfterMs) {
      response.setHeader('Retry-After', Math.ceil(outcome.retryAfterMs / 1000));
      throw new HttpException(
        { code: 'AUTH.THROTTLED', message: ['too many failed sign-ins; try again later'] },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
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
    const session = token && (await this.sessions.refresh(token));
    if (!session) {
      response.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      throw new UnauthorizedException({
        code: 'AUTH.REFRESH',
        message: ['the session has ended; sign in again'],
      });
    }
    return this.answer(session, response);
  }

  @Post('logout')
  @HttpCode(204)
  async logout(
    @CurrentUser() user: UserView,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.logins.logout(user.username, readCookie(request, REFRESH_COOKIE), request.ip ?? '');
    response.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
  }

  @Get('me')
  me(@CurrentUser() user: UserView): UserView {
    return user;
  }

  /** Changes the signed-in user's password; her other sessions end. */
  @Post('password')
  @HttpCode(204)
  async changePassword(
    @CurrentUser() user: UserView,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    const changed = await this.users.changeOwnPassword(
      user.username,
      body.currentPassword,
      body.newPassword,
    );
    if (!changed)
      throw new UnauthorizedException({
        code: 'AUTH.INVALID',
        message: ['the current password is wrong'],
      });
  }

  private answer(session: IssuedSession, response: Response): SessionView {
    response.cookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.options.secureCookies,
      path: COOKIE_PATH,
      maxAge: session.refreshExpiresIn * 1000,
    });
    response.setHeader('Cache-Control', 'no-store');
    const { refreshToken: _token, refreshExpiresIn: _expires, ...view } = session;
    return view;
  }
}
