import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
} from '@nestjs/common';
import type { CreatedNotificationTarget, NotificationTargetView, UserView } from '@vigil/contracts';
import { NotificationTargetDto } from '@vigil/dto';
import { NOTIFICATION_STORE, type NotificationStore } from '@vigil/storage';
import { CurrentUser, Roles } from '../auth/access.decorators';
import { NotificationTargets } from './notification-targets';

/** Administrators register the systems that carry alerts beyond the console. */
@Controller('api/notification-targets')
@Roles('admin')
export class NotificationTargetsController {
  constructor(
    private readonly targets: NotificationTargets,
    @Inject(NOTIFICATION_STORE) private readonly store: NotificationStore,
  ) {}

  /** Answers the target with its signing secret: shown this once, keep it in the gateway. */
  @Post()
  create(
    @Body() body: NotificationTargetDto,
    @CurrentUser() user: UserView,
  ): Promise<CreatedNotificationTarget> {
    return this.targets.add(body, user.username);
  }

  /** Every target with how its deliveries stand; never a secret. */
  @Get()
  async list(): Promise<NotificationTargetView[]> {
    return Promise.all(
      this.targets.list().map(async ({ target }) => {
        const head = await this.store.head(target.id);
        const failing = head !== undefined && head.attempts > 0;
        return {
          ...target,
          pending: await this.store.pendingCount(target.id),
          ...(failing && { failingSince: new Date(head.queuedAt).toISOString() }),
          ...(failing && head.lastError !== undefined && { lastError: head.lastError }),
        };
      }),
    );
  }

  /** Removes the target and what it is still owed. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentUser() user: UserView): Promise<void> {
    if (!(await this.targets.remove(id, user.username)))
      throw new NotFoundException({
        code: 'NOTIFICATION_TARGET.NOT_FOUND',
        message: [`no target ${id}`],
      });
  }
}
