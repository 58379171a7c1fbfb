import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DuplicateRecordError, DuplicateUserError } from '@vigil/storage';
import type { Response } from 'express';
import { UserNotFoundError, UserRulesError } from '../auth/auth.errors';
import {
  DeviceNotFoundError,
  PatientNotFoundError,
  UnknownPatientError,
} from '../registry/registry.errors';

const DOMAIN_ERRORS = [
  DuplicateRecordError,
  DuplicateUserError,
  UnknownPatientError,
  PatientNotFoundError,
  DeviceNotFoundError,
  UserNotFoundError,
  UserRulesError,
];

type DomainError = InstanceType<(typeof DOMAIN_ERRORS)[number]>;

function describe(error: DomainError): [HttpStatus, string] {
  if (error instanceof DuplicateRecordError)
    return [HttpStatus.CONFLICT, `${error.kind.toUpperCase()}.DUPLICATE`];
  if (error instanceof DuplicateUserError) return [HttpStatus.CONFLICT, 'USER.DUPLICATE'];
  if (error instanceof UnknownPatientError) return [HttpStatus.BAD_REQUEST, 'PATIENT.UNKNOWN'];
  if (error instanceof DeviceNotFoundError) return [HttpStatus.NOT_FOUND, 'DEVICE.NOT_FOUND'];
  if (error instanceof UserNotFoundError) return [HttpStatus.NOT_FOUND, 'USER.NOT_FOUND'];
  if (error instanceof UserRulesError) return [HttpStatus.BAD_REQUEST, 'USER.INVALID'];
  return [HttpStatus.NOT_FOUND, 'PATIENT.NOT_FOUND'];
}

const LABELS: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.CONFLICT]: 'Conflict',
  [HttpStatus.BAD_REQUEST]: 'Bad Request',
  [HttpStatus.NOT_FOUND]: 'Not Found',
};

/** Maps domain errors to HTTP once, at the edge, in the shape of Nest's own errors. */
@Catch(...DOMAIN_ERRORS)
export class DomainErrorFilter implements ExceptionFilter<DomainError> {
  catch(error: DomainError, host: ArgumentsHost): void {
    const [statusCode, code] = describe(error);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(statusCode)
      .json({ statusCode, error: LABELS[statusCode], code, message: [error.message] });
  }
}
