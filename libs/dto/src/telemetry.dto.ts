// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  isISO8601,
  isInt,
} from 'class-validator';
import {
  BATTERY_RANGE,
  CONSCIOUSNESS_LEVELS,
  MAX_SAMPLES_PER_BATCH,
  VITAL_SIGNS,
  type ConsciousnessLevel,
} from '@vigil/contracts';

const finite = { allowNaN: false, allowInfinity: false } as const;

function IsSampleTimestamp(): PropertyDecorator {
  return ValidateBy({
    name: 'isSampleTimestamp',
    validator: {
      validate: (value: unknown) =>
        (typeof value === 'string' && isISO8601(value, { strict: true, strictSeparator: true })) ||
        (typeof value === 'number' && isInt(value) && value > 0),
      defaultMessage: () => '$property must be an ISO-8601 date-time or epoch milliseconds',
    },
  });
}

export class VitalsDto {
  @IsOptional()
  @IsNumber(finite)
  @Min(VITAL_SIGNS.heartRate.min)
  @Max(VITAL_SIGNS.heartRate.max)
  heartRate?: number;

  @IsOptional()
  @IsNumber(finite)
  @Min(VITAL_SIGNS.respRate.min)
  @Max(VITAL_SIGNS.respRate.max)
  respRate?: number;

  @IsOptional()
  @IsNumber(finite)
  @Min(VITAL_SIGNS.spo2.min)
  @Max(VITAL_SIGNS.spo2.max)
  spo2?: number;

  @IsOptional()
  @IsNumber(finite)
  @Min(VITAL_SIGNS.temperature.min)
  @Max(VITAL_SIGNS.temperature.max)
  temperature?: number;

  @IsOptional()
  @IsNumber(finite)
  @Min(VITAL_SIGNS.systolicBp.min)
  @Max(VITAL_SIGNS.systolicBp.max)
  systolicBp?: number;

  @IsOptional()
  @IsNumber(finite)
  @Min(VITAL_SIGNS.diastolicBp.min)
  @Max(VITAL_SIGNS.diastolicBp.max)
  diastolicBp?: number;

  @IsOptional()
  @IsIn(CONSCIOUSNESS_LEVELS)
  consciousness?: ConsciousnessLevel;

  @IsOptional()
  @IsBoolean()
  onOxygen?: boolean;

  @IsOptional()
  @IsNumber(finite)
  @Min(BATTERY_RANGE.min)
  @Max(BATTERY_RANGE.max)
  battery?: number;
}

export class SampleDto {
  @IsDefined()
  @IsSampleTimestamp()
  ts!: string | number;

  @IsInt()
  @Min(0)
  seq!: number;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => VitalsDto)
  vitals!: VitalsDto;
}

export class SampleBatchDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SAMPLES_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => SampleDto)
  samples!: SampleDto[];
}

/** The vitals of a nurse's observation set: a device's, without its battery. */
export class ObservedVitalsDto extends OmitType(VitalsDto, ['battery'] as const) {}

export class OxygenDeliveryDto {
  @IsOptional()
  @IsNumber(finite)
  @Min(0)
  @Max(70)
  flowLpm?: number;

  @IsOptional()
  @IsString()
  @Length(1, 60)
  device?: string;
}

/** `POST /api/patients/:id/observations`. */
export class ObservationDto {
  @IsDefined()
  @IsSampleTimestamp()
  effectiveAt!: string | number;

  @IsDefined()
  @ValidateNested()
  @Type(() => ObservedVitalsDto)
  vitals!: ObservedVitalsDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => OxygenDeliveryDto)
  oxygen?: OxygenDeliveryDto;

  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

/** `POST /api/patients/:id/observations/:obsId/entered-in-error`. */
export class EnteredInErrorDto {
  @IsString()
  @Length(1, 500)
  reason!: string;
}
