import { DeviceSessions } from './device-sessions';

describe('DeviceSessions', () => {
  it('a device reconnecting through another worker takes over; the old end is not its end', () => {
    const sessions = new DeviceSessions<string>();
    expect(sessions.connected('d1', 'A')).toBeUndefined();
    expect(sessions.connected('d1', 'B')).toBe('A');
    expect(sessions.disconnected('d1', 'A')).toBe(false);
    expect(sessions.holderOf('d1')).toBe('B');
    expect(sessions.disconnected('d1', 'B')).toBe(true);
    expect(sessions.size).toBe(0);
  });

  it('reconnecting through the same worker asks no one to close anything', () => {
    const sessions = new DeviceSessions<string>();
    sessions.connected('d1', 'A');
    expect(sessions.connected('d1', 'A')).toBeUndefined();
  });

  it('a worker that ends takes its devices offline, and only its own', () => {
    const sessions = new DeviceSessions<string>();
    sessions.connected('d1', 'A');
    sessions.connected('d2', 'B');
    sessions.connected('d3', 'A');
    expect(sessions.workerEnded('A').sort()).toEqual(['d1', 'd3']);
    expect(sessions.holderOf('d2')).toBe('B');
    expect(sessions.size).toBe(1);
  });
});
