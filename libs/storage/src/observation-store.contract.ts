import type { Observation } from '@vigil/contracts';
import type { ObservationStore } from './observation-store.port';
import type { AuditEntry, RegistryStore } from './registry-store.port';

export interface ObservationStoreUnderTest {
  readonly observations: ObservationStore;
  /** The registry beside it, in the same database: sets belong to its patients. */
  readonly registry: RegistryStore;
  /** Closes what the stores were opened on. */
  dispose(): Promise<void>;
}

const BASE = Date.UTC(2026, 11, 2, 8, 0, 0);
const iso = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
const audit = (action: string, subject: string): AuditEntry => ({
  at: iso(0),
  actor: 'nurse',
  action,
  subject,
});

const observation = (id: string, patientId: string, minutes: number): Observation => ({
  id,
  patientId,
  stayId: `stay-${patientId}`,
  effectiveAt: iso(minutes),
  recordedAt: iso(minutes + 1),
  recordedBy: 'nurse',
  late: false,
  vitals: { respRate: 18, spo2: 95, consciousness: 'A', onOxygen: true },
  oxygen: { device: 'nasal cannula', flowLpm: 2 },
  note: 'settled',
  news2: { total: 3, risk: 'low', complete: true },
});

/**
 * The behaviour every ObservationStore adapter must show. Each adapter's spec calls this with a
 * factory for fresh, empty stores.
 */
export function describeObservationStoreContract(
  adapterName: string,
  openStores: () => Promise<ObservationStoreUnderTest>,
): void {
  describe(`ObservationStore contract: ${adapterName}`, () => {
    let observations: ObservationStore;
    let registry: RegistryStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ observations, registry, dispose } = await openStores());
      for (const id of ['p1', 'p2'])
        await registry.addPatient(
          {
            id,
            name: `Patient ${id}`,
            identifiers: [],
            status: 'admitted',
            ward: 'ward-1',
            stayId: `stay-${id}`,
            admittedAt: iso(0),
            spo2Scale: 1,
          },
          { stayId: `stay-${id}`, at: iso(0), location: { ward: 'ward-1' } },
          audit('patient.admitted', id),
        );
    });
    afterEach(async () => {
      await dispose();
    });

    it('keeps a set as recorded, with its audit entry, and lists a window newest first', async () => {
      for (const [id, minutes] of [
        ['o1', 10],
        ['o2', 20],
        ['o3', 30],
      ] as const)
        await observations.add(observation(id, 'p1', minutes), audit('observation.recorded', id));
      await observations.add(observation('o4', 'p2', 20), audit('observation.recorded', 'o4'));
      expect(await observations.find('o2')).toEqual(observation('o2', 'p1', 20));
      expect(await observations.find('nope')).toBeUndefined();
      const window = { patientId: 'p1', from: BASE + 10 * 60_000, to: BASE + 20 * 60_000 };
      expect((await observations.list({ ...window, limit: 10 })).map((o) => o.id)).toEqual([
        'o2',
        'o1',
      ]);
      expect((await observations.list({ ...window, limit: 1 })).map((o) => o.id)).toEqual(['o2']);
      expect(await registry.listAudit({ action: 'observation.recorded', limit: 10 })).toHaveLength(
        4,
      );
    });

    it('keeps a retracted set, marked, and leaves it out of the valid ones', async () => {
      await observations.add(observation('o1', 'p1', 10), audit('observation.recorded', 'o1'));
      await observations.add(observation('o2', 'p1', 20), audit('observation.recorded', 'o2'));
      await observations.add(observation('o3', 'p2', 30), audit('observation.recorded', 'o3'));
      const retraction = { at: iso(40), by: 'charge', reason: 'wrong patient' };
      await observations.markEnteredInError('o2', retraction, audit('observation.retracted', 'o2'));
      expect(await observations.find('o2')).toEqual({
        ...observation('o2', 'p1', 20),
        enteredInError: retraction,
      });
      const valid = (since: number, patientId?: string) =>
        observations.listValidSince(since, patientId).then((list) => list.map((o) => o.id));
      expect(await valid(BASE)).toEqual(['o1', 'o3']);
      expect(await valid(BASE, 'p1')).toEqual(['o1']);
      expect(await valid(BASE + 10 * 60_000)).toEqual(['o1', 'o3']);
      expect(await valid(BASE + 11 * 60_000)).toEqual(['o3']);
      const listed = await observations.list({
        patientId: 'p1',
        from: BASE,
        to: BASE + 3_600_000,
        limit: 10,
      });
      expect(listed.map((o) => [o.id, o.enteredInError !== undefined])).toEqual([
        ['o2', true],
        ['o1', false],
      ]);
    });
  });
}
