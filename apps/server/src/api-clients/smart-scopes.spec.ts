import { grantedScopes, permits, scopeProblems } from './smart-scopes';

describe('SMART system scopes', () => {
  it('grants read and search by resource type, or for every type with *', () => {
    expect(permits(['system/Patient.rs'], 'Patient', 'r')).toBe(true);
    expect(permits(['system/Patient.rs'], 'Patient', 's')).toBe(true);
    expect(permits(['system/Patient.rs'], 'Observation', 's')).toBe(false);
    expect(permits(['system/Observation.r'], 'Observation', 's')).toBe(false);
    expect(permits(['system/*.rs'], 'Encounter', 'r')).toBe(true);
    expect(permits(['system/Observation.read'], 'Observation', 's')).toBe(true);
    expect(permits(['user/Observation.rs', 'system/Observation.cud'], 'Observation', 'r')).toBe(
      false,
    );
  });

  it('names what is wrong with scopes an administrator gives', () => {
    expect(scopeProblems(['system/Observation.rs', 'system/*.read'])).toEqual([]);
    expect(scopeProblems(['patient/Observation.rs'])).toHaveLength(1);
    expect(scopeProblems(['system/Medication.rs'])).toEqual([
      'scopes: system/Medication.rs names a resource Vigil does not serve (Patient, Device, Encounter, Observation)',
    ]);
    expect(scopeProblems(['system/Observation.sr'])).toHaveLength(1);
    expect(scopeProblems(['system/Observation.cud'])).toEqual([
      'scopes: system/Observation.cud grants no read or search',
    ]);
  });

  it('grants what was asked for and is held, or everything held when nothing is asked', () => {
    const held = ['system/Patient.rs', 'system/Observation.rs'];
    expect(grantedScopes(held, undefined)).toEqual(held);
    expect(grantedScopes(held, 'system/Observation.rs system/Device.rs')).toEqual([
      'system/Observation.rs',
    ]);
    expect(grantedScopes(held, 'system/Device.rs')).toEqual([]);
  });
});
