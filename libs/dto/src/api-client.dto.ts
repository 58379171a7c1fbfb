import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
} from 'class-validator';

/** `POST /api/api-clients`: a system that reads through the FHIR API. */
export class CreateApiClientDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  /** SMART system scopes, e.g. `system/Observation.rs`. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  scopes!: string[];

  /**
   * Public keys (JWK, RSA of 2048 bits or more, or EC P-256/P-384) for signed assertions
   * (SMART Backend Services); without them, the client gets a secret.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsObject({ each: true })
  publicKeys?: Record<string, unknown>[];
}

/** `PATCH /api/api-clients/:id`. */
export class UpdateApiClientDto {
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  scopes?: string[];
}
