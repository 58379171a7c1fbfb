import { Hl7Message } from '@medplum/core';
import { isAdtProblem, readAdtMessage, type AdtEvent, type AdtProblem } from './adt-message';

const read = (trigger: string, pid: string, pv1?: string) =>
  readAdtMessage(
    Hl7Message.parse(
      [
        `MSH|^~\\&|PAS|GENHOSP|VIGIL|WARDS|20261202101500||ADT^${trigger}|C-1|P|2.5`,
        `PID|1||${pid}`,
        ...(pv1 === undefined ? [] : [`PV1|1|I|${pv1}`]),
      ].join('\r'),
    ),
  );
const event = (result: AdtEvent | AdtProblem): AdtEvent => {
  if (isAdtProblem(result)) throw new Error(result.text);
  return result;
};

describe('reading an ADT message', () => {
  it('reads every PID-3 repetition with its authority (namespace or universal id) and type, the MRN first of type MR', () => {
    const read1 = event(
      read('A01', 'X9^^^&1.2.840.1&ISO^PI~M77^^^GENHOSP^MR||Roe^Ann^B||20000229|U', 'W1^R2^B3'),
    );
    expect(read1.identifiers).toEqual([
      { system: '1.2.840.1', value: 'X9', type: 'PI' },
      { system: 'GENHOSP', value: 'M77', type: 'MR' },
    ]);
    expect(read1).toMatchObject({
      mrn: { value: 'M77' },
      name: 'Ann B Roe',
      birthDate: '2000-02-29',
      sex: 'unknown',
      ward: 'W1',
      bed: 'R2/B3',
      sender: 'PAS@GENHOSP',
      controlId: 'C-1',
    });
  });

  it('takes the sending facility as the authority of an identifier that names none', () => {
    expect(event(read('A08', 'M1||Roe^Ann')).identifiers).toEqual([
      { system: 'GENHOSP', value: 'M1' },
    ]);
  });

  it('refuses what is not a real date, an unknown sex, a transfer without a place, a ward id Vigil cannot take', () => {
    const problems = [
      read('A01', 'M1^^^H^MR||Roe^Ann||20010229', 'W1'),
      read('A01', 'M1^^^H^MR||Roe^Ann||20000101|Q', 'W1'),
      read('A02', 'M1^^^H^MR||Roe^Ann'),
      read('A01', 'M1^^^H^MR||Roe^Ann', 'Ward One!'),
      read('A01', '||Roe^Ann', 'W1'),
      read('A01', 'M1^^^H^MR', 'W1'),
    ].map((result) => (isAdtProblem(result) ? [result.ackCode, result.errorCode] : 'read'));
    expect(problems).toEqual([
      ['AE', '102'],
      ['AE', '103'],
      ['AE', '101'],
      ['AE', '102'],
      ['AE', '101'],
      ['AE', '101'],
    ]);
  });

  it('rejects (AR) triggers and types it does not take', () => {
    const merge = read('A40', 'M1^^^H^MR||Roe^Ann');
    expect(isAdtProblem(merge) && [merge.ackCode, merge.errorCode]).toEqual(['AR', '201']);
  });
});
