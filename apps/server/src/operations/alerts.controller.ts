import {
  BadRequestException,
  ForbiddenException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  AcknowledgementService,
  AlertsService,
  PATIENT_OWNERSHIP,
  ownerKeyOf,
  type PatientOwnership,
} from '@vigil/alerts';
import {
  INSTANT_PROBLEM,
  MAX_ALERT_PAGE,
  parseInstant,
  seesWard,
  wardsSeenBy,
  type Alert,
  type UserView,
} from '@vigil/contracts';
import { AlertListQueryDto } from '@vigil/dto';
import type { AlertCursor, AlertWithHistory } from '@vigil/storage';
import type { Request, Response } from 'express';
import { CurrentUser } from '../auth/access.decorators';
import { PatientRegistry } from '../registry/patient-registry';
import { linkNextPage } from './next-page';

function encodeCursor(alert: Alert): string {
  return Buffer.from(JSON.stringify([alert.raisedAt, alert.id])).toString('base64url');
}

function decodeCursor(text: string): AlertCursor | undefined {
  try {
    const [raisedAt, id] = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown[];
    return typeof raisedAt === 'string' && typeof id === 'string' ? { raisedAt, id } : undefined;
  } catch {
    return undefined;
  }
}

@Controller('api/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly acknowledgements: AcknowledgementService,
    private readonly patients: PatientRegistry,
    @Inject(PATIENT_OWNERSHIP) private readonly ownership: PatientOwnership,
  ) {}

  /**
   * The alerts of the user's wards with their history, newest first, at most `limit` (500) a
   * page; `Link: rel="next"` points to the next page. `state`: one of the alert states, or
   * `open` (active, acknowledged or latched); `from`/`to` bound when they were raised (ISO-8601
   * or epoch ms). The user's wards are filtered first, so a page is never filled by other wards.
   */
  @Get()
  async list(
    @Query() query: AlertListQueryDto,
    @CurrentUser() user: UserView,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AlertWithHistory[]> {
    const problems: string[] = [];
    const bound = (name: 'from' | 'to') => {
      if (!query[name]) return undefined;
      const ms = parseInstant(query[name] as string);
      if (ms === undefined) problems.push(`${name} ${INSTANT_PROBLEM}`);
      return ms === undefined ? undefined : new Date(ms).toISOString();
    };
    let from = bound('from');
    let to = bound('to');
    if (query.stay !== undefined) {
      if (!query.patientId) throw new BadRequestException(['stay needs patientId']);
      if (!seesWard(user, this.patients.require(query.patientId).ward))
        throw new ForbiddenException({
          code: 'AUTH.WARD',
          message: ['not a patient of your wards'],
        });
      const stay = await this.patients.stayOf(query.patientId, query.stay);
      if (!from || from < stay.start) from = stay.start;
      if (stay.end && (!to || to > stay.end)) to = stay.end;
    }
    if (query.ward !== undefined && !seesWard(user, query.ward))
      throw new ForbiddenException({ code: 'AUTH.WARD', message: ['not one of your wards'] });
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    if (query.after !== undefined && !after)
      problems.push('after must be the cursor of a previous page');
    if (problems.length > 0) throw new BadRequestException(problems);
    const limit = query.limit ?? MAX_ALERT_PAGE;
    const stored = await this.alerts.list({
      state: query.state,
      patientId: query.patientId,
      wards: query.ward === undefined ? wardsSeenBy(user) : [query.ward],
      from,
      to,
      after,
      limit,
    });
    if (stored.length === limit) linkNextPage(request, response, encodeCursor(stored[limit - 1]));
    // Open alerts are fresher in memory: repeats update counts without an event. Those of
    // patients another node acts for are as that node stored them.
    const live = new Map(this.alerts.openAlerts().map((alert) => [alert.id, alert]));
    return stored
      .map((alert) => ({ ...alert, ...live.get(alert.id) }))
      .filter(
        (alert) =>
          query.state !== 'open' || live.has(alert.id) || !this.ownership.owns(ownerKeyOf(alert)),
      );
  }

  /** Acknowledges an open alert of the nurse's ward in her name; her ward's consoles see `alert:updated`. */
  @Post(':id/ack')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @CurrentUser() user: UserView): Promise<Alert> {
    return this.acknowledgements.acknowledge(id, user);
  }
}
