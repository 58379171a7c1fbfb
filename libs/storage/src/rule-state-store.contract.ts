import type { RuleStateStore } from './rule-state-store.port';

export interface RuleStateStoreFixture {
  readonly store: RuleStateStore;
  dispose(): Promise<void>;
}

/** What every RuleStateStore adapter must do; run by each adapter's own spec. */
export function describeRuleStateStoreContract(
  adapter: string,
  open: () => Promise<RuleStateStoreFixture>,
): void {
  describe(`RuleStateStore contract: ${adapter}`, () => {
    let fixture: RuleStateStoreFixture;

    beforeEach(async () => {
      fixture = await open();
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    it('keeps the latest state of each patient, saved one by one or together', async () => {
      const { store } = fixture;
      await store.save('p1', { conditions: { 'spo2.below': { phase: 'pending', since: 1 } } });
      await store.save('p1', { conditions: { 'spo2.below': { phase: 'firing', since: 1 } } });
      await store.saveAll([
        ['p2', { conditions: {} }],
        ['p3', { conditions: {}, recent: [1, 2] }],
      ]);
      expect(Object.fromEntries(await store.loadAll())).toEqual({
        p1: { conditions: { 'spo2.below': { phase: 'firing', since: 1 } } },
        p2: { conditions: {} },
        p3: { conditions: {}, recent: [1, 2] },
      });
    });

    it('saves nothing for an empty batch', async () => {
      await fixture.store.saveAll([]);
      expect((await fixture.store.loadAll()).size).toBe(0);
    });
  });
}
