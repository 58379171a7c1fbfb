// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ALERT_PRIORITIES,
  ID_PATTERN,
  VITAL_NAMES,
  type AlertPriority,
  type ThresholdOverride,
  type VitalName,
} from '@vigil/contracts';

const idMessage = '$property must be 1-64 letters, digits, dot, dash or underscore';

/** `POST /api/patients`. */
export class CreatePatientDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  id!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  ward!: string;
}

/** `POST /api/devices`: Vigil generates the device's secret (192 random bits) and shows it once. */
export class CreateDeviceDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  id!: string;

  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  patientId!: string;
}

/** A device in a seed file, which may give a development fixture's secret of its own. */
export class SeedDeviceDto extends CreateDeviceDto {
  @IsOptional()
  @IsString()
  @Length(16, 128)
  secret?: string;
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
