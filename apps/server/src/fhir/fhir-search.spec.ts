import {
  dateRange,
  decodeCursor,
  encodeCursor,
  parseDates,
  parseLastN,
  parseObservationSearch,
  parseOnePatientSearch,
  parsePatientSearch,
  parseTokens,
  tokenMatches,
} from './fhir-search';

const at = (iso: string) => Date.parse(iso);

describe('FHIR search parameters', () => {
  it('reads a date at its precision, UTC unless a zone is given', () => {
    expect(dateRange('2026-12')).toEqual({
      from: at('2026-12-01T00:00:00Z'),
      to: at('2027-01-01T00:00:00Z'),
    });
    expect(dateRange('2026-12-02')).toEqual({
      from: at('2026-12-02T00:00:00Z'),
      to: at('2026-12-03T00:00:00Z'),
    });
    expect(dateRange('2026-12-02T10:00+01:00')).toEqual({
      from: at('2026-12-02T09:00:00Z'),
      to: at('2026-12-02T09:01:00Z'),
    });
    expect(dateRange('2026-12-02T10:00:05.250Z')).toEqual({
      from: at('2026-12-02T10:00:05.250Z'),
      to: at('2026-12-02T10:00:05.251Z'),
    });
    for (const bad of [
      '2026-02-30',
      '2026-13',
      '2026-12-02T24:00',
      'yesterday',
      '2026-12-02 10:00',
    ])
      expect([bad, dateRange(bad)]).toEqual([bad, undefined]);
  });

  it('narrows date prefixes into one half-open window', () => {
    const problems: string[] = [];
    expect(parseDates(['ge2026-12-02T08:00:00Z', 'lt2026-12-02T09:00:00Z'], problems)).toEqual({
      from: at('2026-12-02T08:00:00Z'),
      to: at('2026-12-02T09:00:00Z'),
    });
    expect(parseDates(['gt2026-12-02', 'le2026-12-03'], problems)).toEqual({
      from: at('2026-12-03T00:00:00Z'),
      to: at('2026-12-04T00:00:00Z'),
    });
    expect(parseDates(['2026-12-02'], problems)).toEqual({
      from: at('2026-12-02T00:00:00Z'),
      to: at('2026-12-03T00:00:00Z'),
    });
    expect(problems).toEqual([]);
    parseDates(['ne2026-12-02', 'sa2026'], problems);
    expect(problems).toHaveLength(2);
  });

  it('matches tokens with or without a system', () => {
    const codings = [{ system: 'http://loinc.org', code: '8867-4' }];
    expect(tokenMatches(parseTokens('http://loinc.org|8867-4'), codings)).toBe(true);
    expect(tokenMatches(parseTokens('8867-4'), codings)).toBe(true);
    expect(tokenMatches(parseTokens('http://snomed.info/sct|8867-4'), codings)).toBe(false);
    expect(tokenMatches(parseTokens('|8867-4'), codings)).toBe(false);
    expect(tokenMatches(parseTokens('9279-1,8867-4'), codings)).toBe(true);
  });

  it('requires the patient, refuses what it does not support, and keeps its own cursors only', () => {
    expect(parseObservationSearch({ code: '8867-4' })).toEqual({
      problems: ['patient: required; Observations are searched one patient at a time'],
    });
    expect(parseObservationSearch({ patient: 'p', value: '3' })).toEqual({
      problems: ['value: not a search parameter supported here'],
    });
    const cursor = encodeCursor({ ts: 5, key: 'd:wear\u000001' });
    expect(decodeCursor(cursor)).toEqual({ ts: 5, key: 'd:wear\u000001' });
    expect(decodeCursor('bm90IG91cnM')).toBeUndefined();
    expect(parseObservationSearch({ patient: 'Patient/p', _count: '900', _sort: '-date' })).toEqual(
      {
        ok: {
          patient: 'p',
          window: { from: -Infinity, to: Infinity },
          count: 500,
          newestFirst: true,
        },
      },
    );
  });

  it('reads the searches of patients, of one patient, and $lastn, naming every problem', () => {
    expect(parsePatientSearch({ identifier: 'RVJ|MRN-1', name: 'Sara' })).toEqual({
      ok: { identifiers: [{ system: 'RVJ', code: 'MRN-1' }], name: 'sara', count: 50, offset: 0 },
    });
    expect(
      parseOnePatientSearch(
        { patient: 'Patient/p', status: 'in-progress,finished' },
        { of: 'encounters', byStatus: true },
      ),
    ).toEqual({
      ok: { patient: 'p', statuses: ['in-progress', 'finished'] },
    });
    expect(parseOnePatientSearch({ status: 'x' }, { of: 'devices', byStatus: false })).toEqual({
      problems: [
        'status: not a search parameter supported here',
        'patient: required; devices are searched one patient at a time',
      ],
    });
    expect(parseLastN({ patient: 'p', max: '3', code: '8867-4' })).toEqual({
      ok: {
        patient: 'p',
        codes: [{ code: '8867-4' }],
        window: { from: -Infinity, to: Infinity },
        max: 3,
      },
    });
    expect(parseLastN({ max: '11', _count: '5' })).toEqual({
      problems: [
        '_count: not a search parameter supported here',
        'max: a whole number from 1 to 10',
      ],
    });
    expect(parseLastN({ max: '0' })).toEqual({
      problems: [
        'max: a whole number from 1 to 10',
        'patient: required; Observations are searched one patient at a time',
      ],
    });
  });
});
