// Query strings are read with DTOs as bodies are: a repeated parameter (an array), an overlong
// one or one out of range is a 400 with the reasons, never a 500 further in.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  ALERT_STATES,
  ID_PATTERN,
  MAX_ALERT_PAGE,
  PATIENT_STATUSES,
  type PatientStatus,
  MAX_AUDIT_PAGE,
  type AlertState,
} from '@vigil/contracts';

import { PLACE_PATTERN, placeMessage } from './registry.dto';

const idMessage = '$property must be 1-64 letters, digits, dot, dash or underscore';

/** An instant, ISO-8601 with a time zone or epoch milliseconds, that the route then reads. */
function OptionalInstant(): PropertyDecorator {
  const decorators = [IsOptional(), IsString(), MaxLength(40)];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** A stay's id: narrows a patient's history or alerts to that stay. */
function OptionalStay(): PropertyDecorator {
  const decorators = [IsOptional(), IsString(), MaxLength(64)];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** `GET /api/patients/:id/vitals?from=&to=&every=&stay=`. */
export class HistoryQueryDto {
  @OptionalStay()
  stay?: string;

  @OptionalInstant()
  from?: string;

  @OptionalInstant()
  to?: string;

  /** A duration: `30s`, `5m`, `1h`, `1d`. */
  @IsOptional()
  @IsString()
  @MaxLength(16)
  every?: string;
}

/** `GET /api/alerts`: newest first, a page at a time. */
export class AlertListQueryDto {
  /** One stay of the patient named by `patientId`. */
  @OptionalStay()
  stay?: string;

  /** One alert state, or `open` (active, acknowledged or latched). */
  @IsOptional()
  @IsIn([...ALERT_STATES, 'open'])
  state?: AlertState | 'open';

  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  patientId?: string;

  /** One of the user's wards: its patients' alerts and its own. */
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  ward?: string;

  /** Bounds on when the alert was raised. */
  @OptionalInstant()
  from?: string;

  @OptionalInstant()
  to?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ALERT_PAGE)
  limit?: number;

  /** The cursor of the next page, as the previous page's `Link: rel="next"` gives it. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

/** `GET /api/audit`: oldest first, a page at a time. */
export class AuditQueryDto {
  /** A patient, device, user or alert. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  action?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_AUDIT_PAGE)
  limit?: number;

  /** Entries after this id (the last `id` of the previous page). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}

/** `GET /api/patients?ward=`. */
export class PatientListQueryDto {
  /** `admitted` (the default: the ward view), `discharged`, or `all`. */
  @IsOptional()
  @IsIn([...PATIENT_STATUSES, 'all'])
  status?: PatientStatus | 'all';

  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  ward?: string;
}

/** `GET /api/patients/:id/observations?from=&to=`. */
export class ObservationListQueryDto {
  @OptionalInstant()
  from?: string;

  @OptionalInstant()
  to?: string;
}

/** `GET /api/reports/alarm-load?ward=&from=&to=`. */
export class AlarmLoadQueryDto {
  @IsString()
  @Matches(PLACE_PATTERN, { message: placeMessage })
  ward!: string;

  @OptionalInstant()
  from?: string;

  @OptionalInstant()
  to?: string;
}
