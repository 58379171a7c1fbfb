import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { type UserView } from '@vigil/contracts';
import { CreateUserDto, UpdateUserDto } from '@vigil/dto';
import { CurrentUser, Roles } from './access.decorators';
import { UsersService } from './users.service';

/** People and their roles: administrators change them, auditors read them. */
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @HttpCode(201)
  create(@Body() body: CreateUserDto, @CurrentUser() admin: UserView): Promise<UserView> {
    return this.users.create(body, admin.username);
  }

  @Get()
  @Roles('admin', 'auditor')
  list(): UserView[] {
    return this.users.list();
  }

  /** Role, wards, display name, password, or `disabled`; a change of access ends her sessions. */
  @Patch(':username')
  @Roles('admin')
  update(
    @Param('username') username: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() admin: UserView,
  ): Promise<UserView> {
    return this.users.update(username, body, admin.username);
  }
}
