import type { NotificationTarget } from '@vigil/contracts';
import type { NotificationStore } from './notification-store.port';
import { auditEntry } from './registry-store.port';

export interface NotificationStoreUnderTest {
  readonly store: NotificationStore;
  /** Closes what the store was opened on. */
  dispose(): Promise<void>;
}

/** A target as the contract (and other store specs) register it. */
export const target: NotificationTarget = {
  id: 't1',
  name: 'Ward phones',
  url: 'http://127.0.0.1:1/hook',
  minPriority: 'low',
  createdAt: '2026-12-02T08:00:00.000Z',
  createdBy: 'admin',
};

/**
 * The behaviour every NotificationStore adapter must show: each target's events handed out oldest
 * first until delivered, a full queue dropping what it cannot take, a removed target forgotten.
 */
export function describeNotificationStoreContract(
  adapterName: string,
  openStore: () => Promise<NotificationStoreUnderTest>,
): void {
  describe(`NotificationStore contract: ${adapterName}`, () => {
    let store: NotificationStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await openStore());
      await store.addTarget(target, 'whsec_x', auditEntry('admin', 'created', 't1'));
    });
    afterEach(async () => {
      await dispose();
    });

    it('keeps a target with its secret', async () => {
      expect(await store.targets()).toEqual([{ target, secret: 'whsec_x' }]);
    });

    it('hands out a target’s events oldest first until each is delivered', async () => {
      await store.enqueue('m1', '{"n":1}', ['t1'], 1_000, 10);
      await store.enqueue('m2', '{"n":2}', ['t1'], 2_000, 10);
      const first = await store.head('t1');
      expect(first).toMatchObject({ messageId: 'm1', attempts: 0, nextAttemptAt: 1_000 });
      await store.markFailed(first!.seq, 5_000, 'ECONNREFUSED');
      expect(await store.head('t1')).toMatchObject({
        messageId: 'm1',
        attempts: 1,
        nextAttemptAt: 5_000,
        lastError: 'ECONNREFUSED',
      });
      await store.markDelivered(first!.seq, 6_000);
      expect(await store.head('t1')).toMatchObject({ messageId: 'm2' });
      expect(await store.pendingCount('t1')).toBe(1);
      expect(await store.pruneDelivered(7_000)).toBe(1);
    });

    it('drops what a full queue cannot take, and says for which target', async () => {
      await store.enqueue('m1', '{}', ['t1'], 1_000, 2);
      await store.enqueue('m2', '{}', ['t1'], 1_000, 2);
      expect(await store.enqueue('m3', '{}', ['t1'], 1_000, 2)).toEqual({ dropped: ['t1'] });
      expect(await store.pendingCount('t1')).toBe(2);
    });

    it('forgets a removed target and what it was owed', async () => {
      await store.enqueue('m1', '{}', ['t1'], 1_000, 10);
      await store.removeTarget('t1', auditEntry('admin', 'removed', 't1'));
      expect(await store.targets()).toEqual([]);
      expect(await store.head('t1')).toBeUndefined();
    });
  });
}
