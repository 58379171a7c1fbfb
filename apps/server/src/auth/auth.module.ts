import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { AuthOptions } from '../config/vigil-config';
import type { RegistryModule } from '../registry/registry.module';
import { ApiClientsController } from '../api-clients/api-clients.controller';
import { ApiClients } from '../api-clients/api-clients.service';
import { OAuthTokenController } from '../api-clients/oauth-token.controller';
import { AccessGuard } from './access.guard';
import { AcknowledgementAudit } from './acknowledgement-audit';
import { AuthController } from './auth.controller';
import { AUTH_DATA_DIR, AUTH_OPTIONS } from './auth.tokens';
import { CareAccess } from './care-access';
import { LoginService } from './login.service';
import { SessionEvents } from './session-events';
import { SessionService, loadSigningKey } from './session.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

export interface AuthModuleOptions {
  readonly options: AuthOptions;
  readonly dataDir: string;
  /** The registry module, for the ward of each patient. */
  readonly registry: DynamicModule | typeof RegistryModule;
}

/** Users, API clients, sign-in, and the guard every HTTP route passes through. */
@Module({})
export class AuthModule {
  static forRoot({ options, dataDir, registry }: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        registry,
        JwtModule.register({
          // A KeyObject: given a string, jsonwebtoken first tries it as a PEM public key on
          // every verification, and that failed attempt cost most of a request's time.
          secret: createSecretKey(Buffer.from(loadSigningKey(options, dataDir))),
          signOptions: { algorithm: 'HS256' },
        }),
      ],
      controllers: [AuthController, UsersController, ApiClientsController, OAuthTokenController],
      providers: [
        { provide: AUTH_OPTIONS, useValue: options },
        { provide: AUTH_DATA_DIR, useValue: dataDir },
        SessionEvents,
        UsersService,
        SessionService,
        LoginService,
        CareAccess,
        AcknowledgementAudit,
        ApiClients,
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [CareAccess, UsersService, SessionEvents, SessionService, ApiClients],
    };
  }
}
