import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { AcknowledgementRefusedError } from '@vigil/alerts';
import { DuplicateRecordError, DuplicateUserError, StoreBusyError } from '@vigil/storage';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { ApiClientNotFoundError, ApiClientRulesError } from '../api-clients/api-clients.service';
import { UserNotFoundError, UserRulesError } from '../auth/auth.errors';
import { FHIR_JSON, isFhirPath, operationOutcomeOf } from '../fhir/operation-outcome';
import {
  BindingTimeError,
  DeviceNotFoundError,
  PatientNotFoundError,
  RegistryConflictError,
  StayNotFoundError,
  UnknownPatientError,
} from '../registry/registry.errors';
import { requestIdOf } from './request-id';

/** Every error answer of the HTTP API has this shape. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly error: string;
  /** Machine-readable, stable: `AREA.REASON`. */
  readonly code: string;
  readonly message: string[];
  /** For a 500: quote it to an operator, who finds the logged error by it. */
  readonly reference?: string;
}

/** The code of an HttpException thrown without one (Nest's own, the validation pipe's). */
const CODE_OF_STATUS: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'REQUEST.INVALID',
  [HttpStatus.UNAUTHORIZED]: 'AUTH.REQUIRED',
  [HttpStatus.FORBIDDEN]: 'AUTH.FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'REQUEST.METHOD',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'REQUEST.TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'REQUEST.MEDIA_TYPE',
  [HttpStatus.TOO_MANY_REQUESTS]: 'REQUEST.THROTTLED',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'SERVICE.UNAVAILABLE',
};

function codeOfStatus(statusCode: number): string {
  return CODE_OF_STATUS[statusCode] ?? (statusCode >= 500 ? 'INTERNAL' : 'REQUEST.INVALID');
}

function answer(statusCode: number, code: string, message: string[]): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? '', code, message };
}

/** Domain errors, mapped to HTTP once, here. */
function describeDomainError(error: unknown): [HttpStatus, string] | undefined {
  if (error instanceof DuplicateRecordError)
    return [HttpStatus.CONFLICT, `${error.kind.toUpperCase()}.DUPLICATE`];
  if (error instanceof DuplicateUserError) return [HttpStatus.CONFLICT, 'USER.DUPLICATE'];
  if (error instanceof UnknownPatientError) return [HttpStatus.BAD_REQUEST, 'PATIENT.UNKNOWN'];
  if (error instanceof PatientNotFoundError) return [HttpStatus.NOT_FOUND, 'PATIENT.NOT_FOUND'];
  if (error instanceof DeviceNotFoundError) return [HttpStatus.NOT_FOUND, 'DEVICE.NOT_FOUND'];
  if (error instanceof BindingTimeError) return [HttpStatus.BAD_REQUEST, 'REQUEST.INVALID'];
  if (error instanceof StayNotFoundError) return [HttpStatus.NOT_FOUND, 'STAY.NOT_FOUND'];
  if (error instanceof RegistryConflictError) return [HttpStatus.CONFLICT, error.code];
  if (error instanceof UserNotFoundError) return [HttpStatus.NOT_FOUND, 'USER.NOT_FOUND'];
  if (error instanceof UserRulesError) return [HttpStatus.BAD_REQUEST, 'USER.INVALID'];
  if (error instanceof ApiClientNotFoundError)
    return [HttpStatus.NOT_FOUND, 'API_CLIENT.NOT_FOUND'];
  if (error instanceof ApiClientRulesError) return [HttpStatus.BAD_REQUEST, 'API_CLIENT.INVALID'];
  if (error instanceof StoreBusyError) return [HttpStatus.SERVICE_UNAVAILABLE, 'STORE.BUSY'];
  if (error instanceof AcknowledgementRefusedError)
    return [
      error.code === 'ALERT.NOT_OPEN' ? HttpStatus.NOT_FOUND : HttpStatus.FORBIDDEN,
      error.code,
    ];
  return undefined;
}

/**
 * A client error raised before Nest (the body parser's, from `http-errors`: an oversized or
 * undecodable body), marked safe to show by `expose`.
 */
function exposedClientError(error: unknown): { status: number; message: string } | undefined {
  const { status, expose, message } = (error ?? {}) as {
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true
    ? { status, message: String(message) }
    : undefined;
}

/** What an HttpException carries (Nest's bodies name `message` as a string or a list). */
function fromHttpException(error: HttpException): { code?: string; message: string[] } {
  const body = error.getResponse();
  if (typeof body === 'string') return { message: [body] };
  const { code, message } = body as { code?: unknown; message?: unknown };
  const messages = [message ?? error.message].flat().map(String);
  return { ...(typeof code === 'string' && { code }), message: messages };
}

/**
 * Answers every error of the HTTP API in one shape with a code (under /fhir, that shape as an
 * OperationOutcome). An unexpected error is logged
 * with the request's id and answered 500 with that id only: its text may name internal hosts,
 * files or queries, which are no business of the caller.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.bodyOf(error, requestIdOf(request));
    if (response.headersSent) return void response.end();
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE && body.code === 'STORE.BUSY')
      response.setHeader('Retry-After', '1');
    if (isFhirPath(request.path))
      response
        .status(body.statusCode)
        .type(FHIR_JSON)
        .send(JSON.stringify(operationOutcomeOf(body)));
    else response.status(body.statusCode).json(body);
  }

  private bodyOf(error: unknown, reference: string): ErrorBody {
    const domain = describeDomainError(error);
    if (domain)
      return answer(
        domain[0],
        domain[1],
        error instanceof ApiClientRulesError ? error.problems : [(error as Error).message],
      );
    const exposed = exposedClientError(error);
    if (exposed) return answer(exposed.status, codeOfStatus(exposed.status), [exposed.message]);
    if (error instanceof HttpException) {
      const statusCode = error.getStatus();
      const { code, message } = fromHttpException(error);
      const body = answer(statusCode, code ?? codeOfStatus(statusCode), message);
      if (statusCode < 500) return body;
      this.logger.error(`${reference}: ${message.join('; ')}`);
      return { ...body, reference };
    }
    this.logger.error(
      `${reference}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      ...answer(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL', [
        `an unexpected error; quote ${reference} to your administrator`,
      ]),
      reference,
    };
  }
}
