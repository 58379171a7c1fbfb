// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ALERT_PRIORITIES,
  ID_PATTERN,
  MAX_ALARM_PAUSE_MINUTES,
  type AlarmPauseScope,
  PATIENT_SEXES,
  type PatientIdentifier,
  type PatientSex,
  VITAL_NAMES,
  type AlertPriority,
  type TrendOverrides,
  type ThresholdOverride,
  type VitalName,
} from '@vigil/contracts';

const idMessage = '$property must be 1-64 letters, digits, dot, dash or underscore';

/** A ward, bed or visit number: what HL7 v2 and the console send, without markup characters. */
export const PLACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}$/;
export const placeMessage =
  '$property must be 1-64 letters, digits, space, dot, slash, dash or underscore';

export class PatientIdentifierDto implements PatientIdentifier {
  /** The issuer: an HL7 v2 assigning authority or a FHIR system URI. */
  @IsString()
  @Length(1, 200)
  system!: string;

  @IsString()
  @Length(1, 64)
  value!: string;

  /** HL7 table 0203: `MR` for the medical record number. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{1,5}$/, { message: '$property must be an HL7 table 0203 code such as MR' })
  type?: string;
}

/** Where a patient lies: a ward and, when known, a bed. */
export class PlaceDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  ward!: string;

  @IsOptional()
  @IsString()
  @Matches(PLACE_PATTERN, { message: placeMessage })
  bed?: string;
}

/** `POST /api/patients/:id/admit`: a discharged patient back in, on a new stay. */
export class AdmissionDto extends PlaceDto {
  /** The hospital's visit number of the stay (HL7 v2 PV1-19). */
  @IsOptional()
  @IsString()
  @Matches(PLACE_PATTERN, { message: placeMessage })
  visitNumber?: string;
}

/** `POST /api/patients`: a new patient, admitted to a ward. */
export class CreatePatientDto extends AdmissionDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  id!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PatientIdentifierDto)
  identifiers?: PatientIdentifierDto[];

  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date, YYYY-MM-DD' })
  birthDate?: string;

  @IsOptional()
  @IsIn(PATIENT_SEXES)
  sex?: PatientSex;
}

/** `POST /api/patients/:id/transfer`. */
export class TransferDto extends PlaceDto {}

/** `POST /api/patients/:id/discharge`. */
export class DischargeDto {
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

/** `POST /api/devices`: registers a wearable, on a patient or available. Vigil generates its secret (192 random bits) and shows it once. */
export class CreateDeviceDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  id!: string;

  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  patientId?: string;

  /** With `patientId`: when it was put on her, if before now (see BindDeviceDto). */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  since?: string;
}

/** A device in a seed file, which may give a development fixture's secret of its own. */
export class SeedDeviceDto extends CreateDeviceDto {
  @IsOptional()
  @IsString()
  @Length(16, 128)
  secret?: string;
}

/** `POST /api/devices/:id/bind`. */
export class BindDeviceDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  patientId!: string;

  /**
   * When the wearable was put on her, if before now (ISO-8601 or epoch ms; at most a day ago,
   * never before it came off its previous patient): what it measured since then is hers.
   */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  since?: string;

  /** Issue a new secret with the binding (required to bring a revoked device back). */
  @IsOptional()
  @IsBoolean()
  rotateSecret?: boolean;
}

/** `PATCH /api/patients/:id`. */
export class UpdatePatientDto {
  @IsIn([1, 2])
  spo2Scale!: 1 | 2;
}

/** One per-patient threshold; it replaces the default rules of its vital and direction. */
export class ThresholdOverrideDto implements ThresholdOverride {
  @IsIn(VITAL_NAMES)
  vital!: VitalName;

  @IsIn(['above', 'below'])
  comparison!: 'above' | 'below';

  @IsNumber({ allowNaN: false, allowInfinity: false })
  threshold!: number;

  @IsIn(ALERT_PRIORITIES)
  priority!: AlertPriority;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(600)
  sustainSeconds?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  clearBand?: number;
}

/** `PUT /api/patients/:id/thresholds`: the patient's complete set of overrides. */
export class PatientThresholdsDto {
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ThresholdOverrideDto)
  thresholds!: ThresholdOverrideDto[];

  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

/**
 * A patient's own trend settings. Each field's range keeps the watch meaningful and bounded; the
 * fields taken together are checked by the rules (`trendOverrideProblems`).
 */
export class TrendOverridesDto implements TrendOverrides {
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(3600)
  bucketSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  minSamplesPerBucket?: number;

  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(48 * 3600)
  windowSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(12 * 3600)
  lagSeconds?: number;

  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(288)
  learningBuckets?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(3600)
  smoothingSeconds?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(5)
  ignoreWithin?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(15)
  level?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(4 * 3600)
  sustainSeconds?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.5)
  @Max(15)
  escalateLevel?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(15)
  clearLevel?: number;
}

/** `PUT /api/patients/:id/trend-parameters`: the patient's complete overrides, and why. */
export class PatientTrendParametersDto {
  @IsObject()
  @ValidateNested()
  @Type(() => TrendOverridesDto)
  parameters!: TrendOverridesDto;

  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** `POST /api/patients/:id/alarm-pause`. */
export class AlarmPauseDto {
  @IsInt()
  @Min(1)
  @Max(MAX_ALARM_PAUSE_MINUTES)
  minutes!: number;

  /** `all`, `physiological`, or one vital's name. */
  @IsIn(['all', 'physiological', ...VITAL_NAMES])
  scope!: AlarmPauseScope;

  @IsString()
  @Length(1, 200)
  reason!: string;
}

/** `POST /api/patients/:id/standby`: off the ward until `until` (at most 12 hours ahead). */
export class StandbyDto {
  @IsISO8601({ strict: true, strictSeparator: true })
  until!: string;

  @IsString()
  @Length(1, 200)
  reason!: string;
}
