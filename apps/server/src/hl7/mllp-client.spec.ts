import { MllpSendError, answerOf } from './mllp-client';

const ack = (msa: string, err = '') =>
  `MSH|^~\\&|EHR|GEN|VIGIL||20261202100000||ACK^R01^ACK|1|P|2.6\r${msa}\r${err}`;

describe('reading the ACK of a sent message', () => {
  it('reads MSA-1, with or without the optional fields', () => {
    expect(answerOf(ack('MSA|AA|p.1'), 'p.1')).toEqual({ code: 'AA', text: '' });
    expect(answerOf(ack('MSA|AE|p.1|try later', 'ERR||||E||||bad OBX\r'), 'p.1')).toEqual({
      code: 'AE',
      text: 'try later; bad OBX',
    });
  });

  it('refuses an answer to another message, or no HL7 at all', () => {
    expect(() => answerOf(ack('MSA|AA|p.2'), 'p.1')).toThrow(MllpSendError);
    expect(() => answerOf('hello', 'p.1')).toThrow(MllpSendError);
    expect(() => answerOf(ack('QAK|1'), 'p.1')).toThrow('no MSA');
  });
});
