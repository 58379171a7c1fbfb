import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { Request } from 'express';
import { tokenEndpointOf } from '../api-clients/oauth-token.controller';
import { FHIR_RESOURCE_TYPES } from '../api-clients/smart-scopes';
import { fhirBaseOf } from './fhir-bundles';
import { DEFAULT_COUNT, MAX_COUNT } from './fhir-search';

const token = (name: string, documentation: string) => ({
  name,
  type: 'token' as const,
  documentation,
});
const reference = (name: string, documentation: string) => ({
  name,
  type: 'reference' as const,
  documentation,
});

/** Exactly what works: every resource, interaction and search parameter listed here is served. */
export function capabilityStatement(request: Request): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-02',
    kind: 'instance',
    software: { name: 'Vigil' },
    implementation: { description: 'Vigil remote patient monitoring', url: fhirBaseOf(request) },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: `Read only. Searches answer searchset Bundles of at most ${MAX_COUNT} entries (${DEFAULT_COUNT} by default), paged by the next link. Unknown search parameters are refused (400), not ignored.`,
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          description:
            'Bearer tokens: a signed-in person (nurses see their wards only), or an API client with the client-credentials grant (secret or signed JWT assertion) and SMART system scopes.',
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: tokenEndpointOf(request) }],
            },
          ],
        },
        resource: [
          {
            type: 'Patient',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              token('identifier', 'system|value of an identifier, such as the MRN'),
              {
                name: 'name',
                type: 'string',
                documentation: 'the start of the name or of any word of it',
              },
            ],
          },
          {
            type: 'Device',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [reference('patient', 'required: the wearables a patient wears now')],
          },
          {
            type: 'Encounter',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              reference('patient', 'required: her stays'),
              token('status', 'in-progress, finished, cancelled, entered-in-error'),
            ],
          },
          {
            type: 'Observation',
            supportedProfile: [
              'vitalsigns',
              'heartrate',
              'resprate',
              'oxygensat',
              'bodytemp',
              'bp',
              'vitalspanel',
            ].map((name) => `http://hl7.org/fhir/StructureDefinition/${name}`),
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              reference('patient', 'required'),
              token(
                'category',
                'vital-signs, exam (ACVPU), therapy (air or oxygen), survey (NEWS2)',
              ),
              token('code', 'system|code, e.g. http://loinc.org|8867-4'),
              {
                name: 'date',
                type: 'date',
                documentation: 'with the prefixes eq, ge, gt, le, lt; UTC when no zone is given',
              },
            ],
            operation: [
              {
                name: 'lastn',
                definition: 'http://hl7.org/fhir/OperationDefinition/Observation-lastn',
                documentation: 'the latest `max` (1 to 10) of each code, for `patient`',
              },
            ],
          },
        ],
      },
    ],
  };
}

/** SMART App Launch's discovery document, as SMART Backend Services clients read it. */
export function smartConfiguration(request: Request): Record<string, unknown> {
  return {
    token_endpoint: tokenEndpointOf(request),
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: [
      'private_key_jwt',
      'client_secret_basic',
      'client_secret_post',
    ],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: ['system/*.rs', ...FHIR_RESOURCE_TYPES.map((type) => `system/${type}.rs`)],
    capabilities: [
      'client-confidential-asymmetric',
      'client-confidential-symmetric',
      'permission-v2',
    ],
  };
}
