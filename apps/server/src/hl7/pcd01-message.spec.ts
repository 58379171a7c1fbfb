import { Hl7Message } from '@medplum/core';
import type { Patient } from '@vigil/contracts';
import { hl7Escape, pcd01Message } from './pcd01-message';

const patient: Patient = {
  id: 'p-1',
  name: 'Mary Ann O^Brien',
  identifiers: [{ system: 'RVJ', value: 'MRN|42', type: 'MR' }],
  birthDate: '1950-04-01',
  sex: 'female',
  status: 'admitted',
  ward: 'ward-7',
  bed: '12',
  stayId: 's-1',
  admittedAt: '2026-12-02T08:00:00.000Z',
  spo2Scale: 1,
};
const start = Date.parse('2026-12-02T10:00:00Z');

describe('PCD-01 ORU^R01 messages', () => {
  const text = pcd01Message({
    controlId: 'abc-1',
    sentAt: start + 70_000,
    receiver: { application: 'EHR', facility: 'GENERAL' },
    patient,
    visitNumber: 'V9',
    start,
    end: start + 60_000,
    devices: [{ deviceId: 'wear-1', medians: { heartRate: 72.5, spo2: 96, systolicBp: 121 } }],
    nurses: [{ effectiveAt: start + 30_000, recordedBy: 'nurse.kim', vitals: { respRate: 18 } }],
  });
  const message = Hl7Message.parse(text);
  const field = (segment: string, index: number, occurrence = 0) =>
    message.getAll(segment)[occurrence].getField(index).toString();

  it('heads the message as PCD-01, with the patient by her MRN and her place', () => {
    expect(field('MSH', 9)).toBe('ORU^R01^ORU_R01');
    expect(field('MSH', 10)).toBe('abc-1');
    expect(field('MSH', 12)).toBe('2.6');
    expect(field('MSH', 21)).toBe('IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO');
    expect(field('MSH', 5)).toBe('EHR');
    expect(field('PID', 3)).toBe('MRN\\F\\42^^^RVJ^MR');
    expect(field('PID', 5)).toBe('O\\S\\Brien^Mary Ann');
    expect(field('PID', 7)).toBe('19500401');
    expect(field('PV1', 3)).toBe('ward-7^^12');
    expect(field('PV1', 19)).toBe('V9');
    expect([field('OBR', 7), field('OBR', 8)]).toEqual([
      '20261202100000+0000',
      '20261202100100+0000',
    ]);
  });

  it('codes each median in MDC with LOINC beside it, units in MDC and UCUM, from the device', () => {
    const obx = message.getAll('OBX').map((segment) => segment.toString().split('|'));
    expect(
      obx.map((fields) => [fields[1], fields[3].split('^')[1], fields[4], fields[5], fields[11]]),
    ).toEqual([
      ['1', 'MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS', '1.0.0.0', '', 'X'],
      ['2', 'MDC_ECG_HEART_RATE', '1.0.0.1', '72.5', 'R'],
      ['3', 'MDC_PULS_OXIM_SAT_O2', '1.0.0.2', '96', 'R'],
      ['4', 'MDC_PRESS_BLD_NONINV_SYS', '1.0.0.3', '121', 'R'],
      ['5', 'MDC_RESP_RATE', '', '18', 'F'],
    ]);
    expect(obx[1][3]).toBe('147842^MDC_ECG_HEART_RATE^MDC^8867-4^Heart rate^LN');
    expect(obx[1][6]).toBe('264864^MDC_DIM_BEAT_PER_MIN^MDC^/min^/min^UCUM');
    expect(obx[1][18]).toBe('wear-1^VIGIL');
    expect(obx[4][16]).toBe('nurse.kim');
    expect(obx[4][14]).toBe('20261202100030+0000');
  });

  it('escapes the separators inside values', () => {
    expect(hl7Escape('a|b^c~d&e\\f')).toBe('a\\F\\b\\S\\c\\R\\d\\T\\e\\E\\f');
  });
});
