// Proves the frame guard reads MQTT remaining lengths across chunk boundaries and stops a packet
// that announces too many bytes before its body arrives.
import { generate } from 'mqtt-packet';
import { FrameLengthGuard } from './mqtt-frame-limit';

function publish(payloadBytes: number): Buffer {
  return generate({
    cmd: 'publish',
    topic: 'devices/d1/vitals',
    payload: Buffer.alloc(payloadBytes, 1),
    qos: 0,
    dup: false,
    retain: false,
  });
}

function feed(limit: number, chunks: Buffer[]): { passed: number; error?: Error } {
  const guard = new FrameLengthGuard(limit);
  let passed = 0;
  for (const chunk of chunks) {
    const error = guard.check(chunk);
    if (error) return { passed, error };
    passed += chunk.length;
  }
  return { passed };
}

describe('FrameLengthGuard', () => {
  it('passes packets within the limit, split anywhere across chunks', () => {
    const stream = Buffer.concat([publish(10), publish(300), publish(20_000), publish(0)]);
    const chunks = [];
    for (let i = 0; i < stream.length; i += 7) chunks.push(stream.subarray(i, i + 7));
    expect(feed(64 * 1024, chunks)).toEqual({ passed: stream.length });
  });

  it('stops a packet that announces more than the limit, from its header alone', () => {
    const big = publish(2 * 1024 * 1024);
    const result = feed(1024 * 1024, [publish(10), big.subarray(0, 8)]);
    expect(result.error?.message).toMatch(/exceeds the 1048576-byte limit/);
    expect(result.passed).toBeLessThan(100);
  });
});
