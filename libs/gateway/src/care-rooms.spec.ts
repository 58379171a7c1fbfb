// Proves each role's console joins only the rooms of what it may see.
import { EVERY_WARD_ROOM, roomsOf } from './care-rooms';

describe('roomsOf', () => {
  it('puts a nurse in her wards only, a charge nurse also in their escalation rooms', () => {
    expect(roomsOf({ username: 'n', role: 'nurse', wards: ['w1', 'w2'] })).toEqual([
      'ward:w1',
      'ward:w2',
    ]);
    expect(roomsOf({ username: 'c', role: 'charge-nurse', wards: ['w1'] })).toEqual([
      'ward:w1',
      'charge:w1',
    ]);
  });

  it('gives administrators and auditors every ward, whatever wards they list', () => {
    expect(roomsOf({ username: 'a', role: 'admin', wards: [] })).toEqual([EVERY_WARD_ROOM]);
    expect(roomsOf({ username: 'r', role: 'auditor', wards: ['w1'] })).toEqual([EVERY_WARD_ROOM]);
  });
});
