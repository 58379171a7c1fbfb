import { CR, FS, MllpDecoder, MllpFrameError, VT, mllpFrame } from './mllp-framing';

const text = (buffers: Buffer[]) => buffers.map((b) => b.toString('utf8'));

describe('MLLP framing', () => {
  it('reads two messages sent in one chunk, and one split at every byte', () => {
    const decoder = new MllpDecoder(1024);
    const both = Buffer.concat([mllpFrame('MSH|one'), mllpFrame('MSH|two')]);
    expect(text(decoder.push(both))).toEqual(['MSH|one', 'MSH|two']);
    const seen: Buffer[] = [];
    for (const byte of mllpFrame('MSH|three\rPID|1'))
      seen.push(...decoder.push(Buffer.from([byte])));
    expect(text(seen)).toEqual(['MSH|three\rPID|1']);
  });

  it('closes a frame whose FS ends one chunk and CR starts the next, and keeps an FS inside a message', () => {
    const decoder = new MllpDecoder(1024);
    expect(decoder.push(Buffer.from([VT, 0x41, FS]))).toEqual([]);
    expect(text(decoder.push(Buffer.from([CR])))).toEqual(['A']);
    expect(decoder.push(Buffer.from([VT, 0x41, FS]))).toEqual([]);
    expect(text(decoder.push(Buffer.from([0x42, FS, CR])))).toEqual(['A\u001cB']);
  });

  it('tolerates line ends between frames, and refuses other bytes outside a frame', () => {
    const decoder = new MllpDecoder(1024);
    expect(text(decoder.push(Buffer.concat([Buffer.from('\r\n'), mllpFrame('x')])))).toEqual(['x']);
    expect(() => decoder.push(Buffer.from('MSH|no frame'))).toThrow(MllpFrameError);
  });

  it('refuses a frame past the size limit before holding it', () => {
    const decoder = new MllpDecoder(16);
    decoder.push(Buffer.from([VT]));
    expect(() => decoder.push(Buffer.alloc(17, 0x41))).toThrow('longer than 16 bytes');
  });
});
