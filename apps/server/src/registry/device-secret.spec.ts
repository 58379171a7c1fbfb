// Proves device secrets are stored as salted scrypt hashes that verify only the right secret.
import { hashDeviceSecret, newDeviceSecret, verifyDeviceSecret } from './device-secret';

describe('device secrets', () => {
  it('hashes with a fresh salt and verifies only the right secret', async () => {
    const secret = newDeviceSecret();
    const [first, second] = [await hashDeviceSecret(secret), await hashDeviceSecret(secret)];
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toEqual(second);
    expect(first).not.toContain(secret);
    expect(await verifyDeviceSecret(secret, first)).toBe(true);
    expect(await verifyDeviceSecret(`${secret}x`, first)).toBe(false);
    expect(await verifyDeviceSecret(secret, 'plain$text')).toBe(false);
  });

  it('makes secrets long and distinct', () => {
    const secrets = new Set(Array.from({ length: 100 }, newDeviceSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) expect(secret).toHaveLength(32);
  });
});
