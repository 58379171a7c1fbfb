/**
 * MLLP (HL7 v2 Minimal Lower Layer Protocol, HL7 v2.5.1 Appendix C): each message travels as
 * <VT> message <FS><CR>. Bytes outside a frame are an error, and a frame may not grow past a
 * limit, so a peer cannot make Vigil hold an unbounded buffer.
 */
export const VT = 0x0b;
export const FS = 0x1c;
export const CR = 0x0d;

export class MllpFrameError extends Error {}

/** Wraps one HL7 message for the wire. */
export function mllpFrame(message: string): Buffer {
  return Buffer.concat([Buffer.from([VT]), Buffer.from(message, 'utf8'), Buffer.from([FS, CR])]);
}

/** Cuts a byte stream into the messages framed in it, however the chunks fall. */
export class MllpDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  /** The previous chunk ended with FS: a CR starting the next one closes the frame. */
  private pendingFs = false;

  constructor(private readonly maxMessageBytes: number) {}

  /** @throws MllpFrameError for bytes outside a frame or a frame longer than the limit. */
  push(chunk: Buffer): Buffer[] {
    const messages: Buffer[] = [];
    let start = 0;
    let index = 0;
    if (this.pendingFs) {
      this.pendingFs = false;
      if (chunk[0] === CR) {
        messages.push(this.finish(Buffer.alloc(0)));
        start = index = 1;
      } else {
        this.append(Buffer.from([FS]));
      }
    }
    while (index < chunk.length) {
      const byte = chunk[index];
      if (!this.inFrame) {
        // Line ends between frames are tolerated, as many senders add them.
        if (byte === VT) {
          this.inFrame = true;
          start = index + 1;
        } else if (byte !== CR && byte !== 0x0a) {
          throw new MllpFrameError('data outside an MLLP frame (expected <VT>)');
        }
        index += 1;
        continue;
      }
      if (byte === FS) {
        if (index + 1 === chunk.length) {
          this.append(chunk.subarray(start, index));
          this.pendingFs = true;
          return messages;
        }
        if (chunk[index + 1] === CR) {
          messages.push(this.finish(chunk.subarray(start, index)));
          index += 2;
          start = index;
          continue;
        }
      }
      index += 1;
    }
    if (this.inFrame) this.append(chunk.subarray(start, index));
    return messages;
  }

  private append(part: Buffer): void {
    this.size += part.length;
    if (this.size > this.maxMessageBytes)
      throw new MllpFrameError(`an HL7 message longer than ${this.maxMessageBytes} bytes`);
    if (part.length > 0) this.parts.push(Buffer.from(part));
  }

  private finish(last: Buffer): Buffer {
    this.append(last);
    const message = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.inFrame = false;
    return message;
  }
}
