// Proves secrets are stored only as salted hashes (scrypt for what people choose, SHA-256 for what
// Vigil generates) that verify only the right secret.
import { hashGeneratedSecret, hashSecret, newSecret, verifySecret } from './secret-hash';

describe('device secrets', () => {
  it('hashes with a fresh salt and verifies only the right secret', async () => {
    const secret = newSecret();
    const [first, second] = [await hashSecret(secret), await hashSecret(secret)];
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toEqual(second);
    expect(first).not.toContain(secret);
    expect(await verifySecret(secret, first)).toBe(true);
    expect(await verifySecret(`${secret}x`, first)).toBe(false);
    expect(await verifySecret(secret, 'plain$text')).toBe(false);
  });

  it('makes secrets long and distinct', () => {
    const secrets = new Set(Array.from({ length: 100 }, newSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) expect(secret).toHaveLength(32);
  });

  it('hashes generated secrets fast, salted, and verifies only the right one', async () => {
    const secret = newSecret();
    const [first, second] = [hashGeneratedSecret(secret), hashGeneratedSecret(secret)];
    expect(first).toMatch(/^sha256\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toEqual(second);
    expect(await verifySecret(secret, first)).toBe(true);
    expect(await verifySecret(`${secret}x`, first)).toBe(false);
    expect(await verifySecret(secret, 'sha256$only-one-part')).toBe(false);
  });
});
