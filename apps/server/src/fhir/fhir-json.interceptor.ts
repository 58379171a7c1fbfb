import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { FHIR_JSON } from './operation-outcome';

/** Answers a route's resource as `application/fhir+json`. */
@Injectable()
export class FhirJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<string> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((resource: unknown) => {
        response.type(FHIR_JSON);
        return JSON.stringify(resource);
      }),
    );
  }
}
