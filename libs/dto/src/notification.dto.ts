import { IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import {
  ALERT_PRIORITIES,
  ALERT_RESPONSE_KINDS,
  type AlertPriority,
  type AlertResponseKind,
} from '@vigil/contracts';
import { PLACE_PATTERN, placeMessage } from './registry.dto';

/** `POST /api/notification-targets`. */
export class NotificationTargetDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  /** Where the events are posted: http or https, nothing else. */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2_000)
  url!: string;

  /** Only this ward's alerts; absent: every ward's. */
  @IsOptional()
  @IsString()
  @Matches(PLACE_PATTERN, { message: placeMessage })
  ward?: string;

  /** The least urgent priority it receives. */
  @IsIn(ALERT_PRIORITIES)
  minPriority!: AlertPriority;
}

/** `POST /api/alerts/:id/responses`, signed by the gateway with its target's secret. */
export class AlertResponseDto {
  @IsString()
  @Length(1, 64)
  targetId!: string;

  @IsIn(ALERT_RESPONSE_KINDS)
  response!: AlertResponseKind;

  /** Who answered, as the gateway knows her (a name, an extension). */
  @IsString()
  @Length(1, 100)
  recipient!: string;
}
