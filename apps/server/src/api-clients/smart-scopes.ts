/**
 * SMART on FHIR system scopes (hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 * `system/<Type or *>.<permissions>`, v2 permissions a subset of `cruds` in that order
 * (`rs`: read and search), v1's `read` and `*` accepted as `rs`. Vigil's FHIR API only reads, so
 * only `r` and `s` grant anything.
 */
export const FHIR_RESOURCE_TYPES = ['Patient', 'Device', 'Encounter', 'Observation'] as const;
export type FhirResourceType = (typeof FHIR_RESOURCE_TYPES)[number];

/** `r`: read one resource by id; `s`: search. */
export type FhirInteraction = 'r' | 's';

const SCOPE = /^system\/(\*|[A-Z][A-Za-z]{1,63})\.(c?r?u?d?s?|read|write|\*)$/;

interface ParsedScope {
  readonly type: string;
  readonly permissions: string;
}

function parse(scope: string): ParsedScope | undefined {
  const match = SCOPE.exec(scope);
  if (!match || match[2] === '') return undefined;
  const permissions =
    match[2] === 'read' || match[2] === '*' ? 'rs' : match[2] === 'write' ? 'cud' : match[2];
  return { type: match[1], permissions };
}

/** The problems with scopes given to a client; empty when each is a system scope Vigil knows. */
export function scopeProblems(scopes: readonly string[]): string[] {
  return scopes.flatMap((scope) => {
    const parsed = parse(scope);
    if (!parsed)
      return [`scopes: ${scope} is not a SMART system scope such as system/Observation.rs`];
    if (parsed.type !== '*' && !(FHIR_RESOURCE_TYPES as readonly string[]).includes(parsed.type))
      return [
        `scopes: ${scope} names a resource Vigil does not serve (${FHIR_RESOURCE_TYPES.join(', ')})`,
      ];
    if (!/[rs]/.test(parsed.permissions)) return [`scopes: ${scope} grants no read or search`];
    return [];
  });
}

export function permits(
  scopes: readonly string[],
  type: FhirResourceType,
  interaction: FhirInteraction,
): boolean {
  return scopes.some((scope) => {
    const parsed = parse(scope);
    return (
      parsed !== undefined &&
      (parsed.type === '*' || parsed.type === type) &&
      parsed.permissions.includes(interaction)
    );
  });
}

/**
 * What a token request is granted: the scopes asked for that the client holds, or all it holds
 * when it asks for none. An asked-for scope it does not hold is left out, as RFC 6749 §3.3 allows.
 */
export function grantedScopes(held: readonly string[], asked: string | undefined): string[] {
  if (asked === undefined || asked.trim() === '') return [...held];
  return [...new Set(asked.trim().split(/\s+/))].filter((scope) => held.includes(scope));
}
