// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { IsString, Length, Matches } from 'class-validator';
import { ID_PATTERN } from './topics';

const idMessage = '$property must be 1-64 letters, digits, dot, dash or underscore';

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

export class CreateDeviceDto {
  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  id!: string;

  @IsString()
  @Matches(ID_PATTERN, { message: idMessage })
  patientId!: string;
}

export interface Patient {
  readonly id: string;
  readonly name: string;
  readonly ward: string;
  readonly admittedAt: string;
}

export interface Device {
  readonly id: string;
  readonly patientId: string;
  readonly boundAt: string;
}
