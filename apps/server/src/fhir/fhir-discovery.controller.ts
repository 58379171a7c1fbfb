import { Controller, Get, Req, UseInterceptors } from '@nestjs/common';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { Request } from 'express';
import { Public } from '../auth/access.decorators';
import { capabilityStatement, smartConfiguration } from './capability-statement';
import { FhirJsonInterceptor } from './fhir-json.interceptor';

/** What a FHIR client reads before it signs in: the server's capabilities and how to get a token. */
@Controller('fhir')
@Public()
export class FhirDiscoveryController {
  @Get('metadata')
  @UseInterceptors(FhirJsonInterceptor)
  metadata(@Req() request: Request): CapabilityStatement {
    return capabilityStatement(request);
  }

  @Get('.well-known/smart-configuration')
  smart(@Req() request: Request): Record<string, unknown> {
    return smartConfiguration(request);
  }
}
