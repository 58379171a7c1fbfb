import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export const FHIR_JSON = 'application/fhir+json';

/** Requests to the FHIR API, whose errors are OperationOutcomes. */
export function isFhirPath(path: string): boolean {
  return path === '/fhir' || path.startsWith('/fhir/');
}

/** FHIR's issue type for an HTTP status (hl7.org/fhir/R4/valueset-issue-type.html). */
function issueTypeOf(status: number): OperationOutcomeIssue['code'] {
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-costly';
  if (status === 429) return 'throttled';
  if (status === 503) return 'transient';
  if (status >= 500) return 'exception';
  return 'invalid';
}

/**
 * An error of the API as an OperationOutcome: one issue per message, Vigil's error code in each
 * issue's details, and the reference of a 500 in its diagnostics.
 */
export function operationOutcomeOf(error: {
  readonly statusCode: number;
  readonly code: string;
  readonly message: readonly string[];
  readonly reference?: string;
}): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: error.message.map((text) => ({
      severity: 'error',
      code: issueTypeOf(error.statusCode),
      details: { coding: [{ code: error.code }], text },
      ...(error.reference !== undefined && { diagnostics: `reference ${error.reference}` }),
    })),
  };
}
