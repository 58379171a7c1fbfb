import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt parameters (RFC 7914); N = 2^14 costs some tens of milliseconds: once per device per
// process (a verified device secret is then remembered by its SHA-256 only), and once per login.
const N = 16_384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A new secret (device secret, refresh token): 192 random bits, URL-safe. Only its hash is kept. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** A password, or a secret a person chose, as `scrypt$N$r$p$salt$hash` (salt, hash base64url). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * A secret Vigil generated itself (192 random bits) as `sha256$salt$hash`. A slow hash protects
 * secrets people choose; one with this much entropy cannot be guessed from its hash however fast
 * the hash is (NIST SP 800-63B, 5.1.2.2: look-up secrets of 112 bits or more may use an approved
 * one-way function). It keeps 10,000 devices reconnecting after a restart from costing minutes
 * of scrypt.
 */
export function hashGeneratedSecret(secret: string): string {
  const salt = randomBytes(16);
  return ['sha256', salt.toString('base64url'), saltedSha256(secret, salt)].join('$');
}

function saltedSha256(secret: string, salt: Buffer): string {
  return createHash('sha256').update(salt).update(secret).digest('base64url');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, ...parts] = stored.split('$');
  if (scheme === 'sha256' && parts.length === 2) {
    const [salt, hash] = parts;
    const expected = Buffer.from(hash, 'base64url');
    const key = Buffer.from(saltedSha256(secret, Buffer.from(salt, 'base64url')), 'base64url');
    return key.length === expected.length && timingSafeEqual(key, expected);
  }
  const [n, r, p, salt, hash] = parts;
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(secret, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** What is remembered of a verified secret: its SHA-256, never the secret. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
