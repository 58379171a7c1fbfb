import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DuplicateRecordError } from '@vigil/storage';
import type { Response } from 'express';
import {
  DeviceNotFoundError,
  PatientNotFoundError,
  UnknownPatientError,
} from '../registry/registry.errors';

type DomainError =
  DuplicateRecordError | UnknownPatientError | PatientNotFoundError | DeviceNotFoundError;

/** Maps domain errors to HTTP once, at the edge, in the shape of Nest's own errors. */
@Catch(DuplicateRecordError, UnknownPatientError, PatientNotFoundError, DeviceNotFoundError)
export class DomainErrorFilter implements ExceptionFilter<DomainError> {
  catch(error: DomainError, host: ArgumentsHost): void {
    const [statusCode, code, label] =
      error instanceof DuplicateRecordError
        ? [HttpStatus.CONFLICT, `${error.kind.toUpperCase()}.DUPLICATE`, 'Conflict']
        : error instanceof UnknownPatientError
          ? [HttpStatus.BAD_REQUEST, 'PATIENT.UNKNOWN', 'Bad Request']
          : error instanceof DeviceNotFoundError
            ? [HttpStatus.NOT_FOUND, 'DEVICE.NOT_FOUND', 'Not Found']
            : [HttpStatus.NOT_FOUND, 'PATIENT.NOT_FOUND', 'Not Found'];
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(statusCode)
      .json({ statusCode, error: label, code, message: [error.message] });
  }
}
