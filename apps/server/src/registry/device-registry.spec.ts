import { EmbeddedRegistryStore, openEmbeddedDatabase } from '@vigil/storage';
import { DeviceRegistry } from './device-registry';
import type { PatientRegistry } from './patient-registry';

describe('DeviceRegistry, a secret checked while it is rotated', () => {
  let db: ReturnType<typeof openEmbeddedDatabase>;
  let registry: DeviceRegistry;
  // A secret a person chose (a seed file's) is checked with scrypt: tens of milliseconds, during
  // which an administrator's rotation can land.
  const chosen = 'a-secret-written-in-a-seed-file';

  beforeEach(async () => {
    db = openEmbeddedDatabase(':memory:');
    registry = new DeviceRegistry(new EmbeddedRegistryStore(db), {} as PatientRegistry);
    await registry.register({ id: 'wear-1', secret: chosen }, 'test');
  });

  afterEach(() => db.close());

  it('refuses the old secret whose check began before the rotation and ended after it', async () => {
    const checking = registry.verifyDevice('wear-1', Buffer.from(chosen));
    const replacement = await registry.rotateSecret('wear-1', 'admin');
    expect(await checking).toBe(false);
    // Nor is the old secret remembered as verified: it never works again.
    expect(await registry.verifyDevice('wear-1', Buffer.from(chosen))).toBe(false);
    expect(await registry.verifyDevice('wear-1', Buffer.from(replacement))).toBe(true);
  });

  it('refuses a secret whose check ended after the device was revoked', async () => {
    const checking = registry.verifyDevice('wear-1', Buffer.from(chosen));
    await registry.revokeSecret('wear-1', 'admin');
    expect(await checking).toBe(false);
    expect(await registry.verifyDevice('wear-1', Buffer.from(chosen))).toBe(false);
  });

  it('accepts the secret, and then from memory, when nothing changed meanwhile', async () => {
    expect(await registry.verifyDevice('wear-1', Buffer.from(chosen))).toBe(true);
    expect(await registry.verifyDevice('wear-1', Buffer.from(chosen))).toBe(true);
    expect(await registry.verifyDevice('wear-1', Buffer.from('wrong'))).toBe(false);
  });
});
