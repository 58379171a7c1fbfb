import type { AuditEntry } from './registry-store.port';
import { DuplicateUserError, type UserRecord, type UserStore } from './user-store.port';

export interface UserStoreUnderTest {
  readonly store: UserStore;
  /** Closes what the store was opened on. */
  dispose(): Promise<void>;
}

const AT = '2026-12-02T08:00:00.000Z';
const NOW = Date.parse(AT);
const HOUR = 3_600_000;
const audit = (action: string, subject: string): AuditEntry => ({
  at: AT,
  actor: 'admin',
  action,
  subject,
});
const user = (username: string, changes: Partial<UserRecord> = {}): UserRecord => ({
  username,
  displayName: `Nurse ${username}`,
  role: 'nurse',
  wards: ['ward-1', 'ward-2'],
  passwordHash: `hash-${username}`,
  disabled: false,
  createdAt: AT,
  ...changes,
});
const session = (id: string, username: string, expiresAt = NOW + 8 * HOUR) => ({
  id,
  username,
  startedAt: NOW,
  expiresAt,
});
const token = (tokenHash: string, sessionId: string) => ({
  tokenHash,
  sessionId,
  expiresAt: NOW + HOUR,
});

/**
 * The behaviour every UserStore adapter must show. Each adapter's spec calls this with a
 * factory for a fresh, empty store.
 */
export function describeUserStoreContract(
  adapterName: string,
  openStore: () => Promise<UserStoreUnderTest>,
): void {
  describe(`UserStore contract: ${adapterName}`, () => {
    let store: UserStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await openStore());
    });
    afterEach(async () => {
      await dispose();
    });

    it('keeps API clients with their scopes and keys, and replaces one whole', async () => {
      const client = {
        clientId: 'ehr-1',
        name: 'EHR',
        scopes: ['system/Observation.rs', 'system/Patient.rs'],
        secretHash: 'hash-1',
        publicKeys: [{ kty: 'EC', crv: 'P-384', x: 'x', y: 'y', kid: 'k1' }],
        disabled: false,
        createdAt: AT,
        createdBy: 'admin',
      };
      await store.saveApiClient(client, audit('api-client.registered', 'ehr-1'));
      await store.saveApiClient(
        { ...client, clientId: 'bi-2', publicKeys: [] },
        audit('api-client.registered', 'bi-2'),
      );
      await store.saveApiClient(
        { ...client, disabled: true },
        audit('api-client.disabled', 'ehr-1'),
      );
      expect(await store.listApiClients()).toEqual([
        { ...client, clientId: 'bi-2', publicKeys: [] },
        { ...client, disabled: true },
      ]);
    });

    it('keeps people, refuses a taken username, and replaces a person whole', async () => {
      await store.addUser(user('bea'), audit('user.created', 'bea'));
      await store.addUser(user('ann', { role: 'charge-nurse' }), audit('user.created', 'ann'));
      await expect(store.addUser(user('bea'), audit('user.created', 'bea'))).rejects.toEqual(
        new DuplicateUserError('bea'),
      );
      const changed = user('bea', { wards: ['ward-3'], disabled: true, passwordHash: 'h2' });
      expect(await store.updateUser(changed, audit('user.updated', 'bea'), false)).toEqual([]);
      expect(await store.listUsers()).toEqual([user('ann', { role: 'charge-nurse' }), changed]);
    });

    it('ends her sessions with a change when asked, but the one kept', async () => {
      await store.addUser(user('bea'), audit('user.created', 'bea'));
      await store.startSession(session('s1', 'bea'), token('t1', 's1'));
      await store.startSession(session('s2', 'bea'), token('t2', 's2'));
      const ended = await store.updateUser(user('bea'), audit('user.password-changed', 'bea'), {
        reason: 'password-changed',
        keepSessionId: 's2',
      });
      expect(ended).toEqual(['s1']);
      expect((await store.liveSessions(NOW)).map((s) => s.id)).toEqual(['s2']);
    });

    it('knows live sessions, ends one, and forgets the expired with their tokens', async () => {
      await store.addUser(user('bea'), audit('user.created', 'bea'));
      await store.startSession(session('s1', 'bea'), token('t1', 's1'));
      await store.startSession(session('s2', 'bea', NOW + HOUR), token('t2', 's2'));
      const live = await store.liveSessions(NOW);
      expect(live.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        session('s1', 'bea'),
        session('s2', 'bea', NOW + HOUR),
      ]);
      await store.endSession('s1', 'logout', NOW + 1);
      expect((await store.liveSessions(NOW + 2)).map((s) => s.id)).toEqual(['s2']);
      expect(await store.deleteExpiredSessions(NOW + 2 * HOUR)).toBe(1);
      expect(await store.sessionOfRefreshToken('t2')).toBeUndefined();
      expect(await store.sessionOfRefreshToken('t1')).toBe('s1');
    });

    it('uses a refresh token once: then it is reused, and an unknown one unknown', async () => {
      await store.addUser(user('bea'), audit('user.created', 'bea'));
      await store.startSession(session('s1', 'bea'), token('t1', 's1'));
      await store.addRefreshToken(token('t2', 's1'));
      expect(await store.useRefreshToken('t1', NOW)).toEqual({
        kind: 'fresh',
        token: token('t1', 's1'),
      });
      expect(await store.useRefreshToken('t1', NOW)).toEqual({
        kind: 'reused',
        token: token('t1', 's1'),
      });
      expect(await store.useRefreshToken('nope', NOW)).toEqual({ kind: 'unknown' });
      expect(await store.sessionOfRefreshToken('t2')).toBe('s1');
    });

    it('lets exactly one of many presenting the same token at once have it', async () => {
      await store.addUser(user('bea'), audit('user.created', 'bea'));
      await store.startSession(session('s1', 'bea'), token('t1', 's1'));
      const uses = await Promise.all(
        Array.from({ length: 8 }, () => store.useRefreshToken('t1', NOW)),
      );
      expect(uses.filter((use) => use.kind === 'fresh')).toHaveLength(1);
      expect(uses.filter((use) => use.kind === 'reused')).toHaveLength(7);
    });
  });
}
