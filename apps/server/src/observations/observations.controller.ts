import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { News2View, Observation, UserView } from '@vigil/contracts';
import { EnteredInErrorDto, ObservationDto, ObservationListQueryDto } from '@vigil/dto';
import { CurrentUser, PatientWard, Roles } from '../auth/access.decorators';
import { news2View } from './news2-view';
import { ObservationService } from './observation.service';

/** The sets of observations a nurse records at the bedside. */
@Controller('api/patients/:id/observations')
@PatientWard()
export class ObservationsController {
  constructor(private readonly observations: ObservationService) {}

  /** 201 with who recorded it and the NEWS2 it produced. A clinical act: nurses only. */
  @Post()
  @Roles('nurse', 'charge-nurse')
  @HttpCode(201)
  record(
    @Param('id') id: string,
    @Body() body: ObservationDto,
    @CurrentUser() user: UserView,
  ): Promise<Observation> {
    return this.observations.record(id, body, user.username);
  }

  /** The NEWS2 the set would give, before it is saved; nothing is kept. */
  @Post('preview')
  @Roles('nurse', 'charge-nurse')
  @HttpCode(200)
  preview(
    @Param('id') id: string,
    @Body() body: ObservationDto,
    @CurrentUser() user: UserView,
  ): Omit<News2View, 'sources'> {
    const { sources: _sources, ...score } = news2View(
      this.observations.preview(id, body, user.username),
      {},
      Date.now(),
    );
    return score;
  }

  /** Retracts a set (audited, with the reason); NEWS2 is scored again without it. */
  @Post(':obsId/entered-in-error')
  @Roles('nurse', 'charge-nurse')
  @HttpCode(200)
  enteredInError(
    @Param('id') id: string,
    @Param('obsId') obsId: string,
    @Body() body: EnteredInErrorDto,
    @CurrentUser() user: UserView,
  ) {
    return this.observations.enterInError(id, obsId, body.reason, user.username);
  }

  /** `?from=&to=`: her sets taken then, newest first (default the last day, at most a week). */
  @Get()
  list(@Param('id') id: string, @Query() query: ObservationListQueryDto): Promise<Observation[]> {
    return this.observations.list(id, query.from, query.to);
  }
}
