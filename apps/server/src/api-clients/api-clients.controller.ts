import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { ApiClientView, RegisteredApiClient, UserView } from '@vigil/contracts';
import { CreateApiClientDto, UpdateApiClientDto } from '@vigil/dto';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { ApiClients } from './api-clients.service';

/** Systems that read through the FHIR API: administrators register them, auditors read them. */
@Controller('api/api-clients')
export class ApiClientsController {
  constructor(private readonly clients: ApiClients) {}

  /** Answers the client's secret this once, when it has no public keys. */
  @Post()
  @Roles('admin')
  @HttpCode(201)
  register(
    @Body() body: CreateApiClientDto,
    @CurrentUser() admin: UserView,
  ): Promise<RegisteredApiClient> {
    return this.clients.register(body, admin.username);
  }

  @Get()
  @Roles('admin', 'auditor')
  list(): Promise<ApiClientView[]> {
    return this.clients.list();
  }

  /** Scopes, or `disabled`: a disabled client's tokens stop working at once. */
  @Patch(':clientId')
  @Roles('admin')
  update(
    @Param('clientId') clientId: string,
    @Body() body: UpdateApiClientDto,
    @CurrentUser() admin: UserView,
  ): Promise<ApiClientView> {
    return this.clients.update(clientId, body, admin.username);
  }

  @Post(':clientId/secret')
  @Roles('admin')
  @HttpCode(201)
  rotateSecret(
    @Param('clientId') clientId: string,
    @CurrentUser() admin: UserView,
  ): Promise<RegisteredApiClient> {
    return this.clients.rotateSecret(clientId, admin.username);
  }
}
