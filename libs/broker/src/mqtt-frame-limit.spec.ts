// Proves the frame limit reads MQTT remaining lengths across chunk boundaries and stops a packet
// that announces too many bytes before its body arrives.
import { generate } from 'mqtt-packet';
import { MqttFrameLimit } from './mqtt-frame-limit';

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

function feed(limit: number, chunks: Buffer[]): Promise<{ passed: number; error?: Error }> {
  return new Promise((resolve) => {
    const limiter = new MqttFrameLimit(limit);
    let passed = 0;
    limiter.on('data', (chunk: Buffer) => (passed += chunk.length));
    limiter.on('error', (error) => resolve({ passed, error }));
    limiter.on('end', () => resolve({ passed }));
    for (const chunk of chunks) limiter.write(chunk);
    limiter.end();
  });
}

describe('MqttFrameLimit', () => {
  it('passes packets within the limit, split anywhere across chunks', async () => {
    const stream = Buffer.concat([publish(10), publish(300), publish(20_000), publish(0)]);
    const chunks = [];
    for (let i = 0; i < stream.length; i += 7) chunks.push(stream.subarray(i, i + 7));
    expect(await feed(64 * 1024, chunks)).toEqual({ passed: stream.length });
  });

  it('stops a packet that announces more than the limit, from its header alone', async () => {
    const big = publish(2 * 1024 * 1024);
    const result = await feed(1024 * 1024, [publish(10), big.subarray(0, 8)]);
    expect(result.error?.message).toMatch(/exceeds the 1048576-byte limit/);
    expect(result.passed).toBeLessThan(100);
  });
});
