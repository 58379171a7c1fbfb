// Proves what a restart keeps: acknowledged samples, active alerts (no duplicate after restart),
// and the admissions a seed file declares.
import type { Alert } from '@vigil/contracts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectConsole,
  connectDevice,
  nextEvent,
  openConsole,
  recordEvents,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const SEED_SECRET = 'seeded-secret-for-tests-only';

describe('restart with a seed file', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'vigil-restart-'));
  const dataDir = join(workDir, 'data');
  const seedFile = join(workDir, 'seed.json');
  const env = { DATA_DIR: dataDir, SEED_FILE: seedFile };
  let vigil: VigilHarness | undefined;

  beforeAll(() => {
    writeFileSync(
      seedFile,
      JSON.stringify({
        patients: [{ id: 'p-s1', name: 'Florence Nightingale', ward: 'ward-2' }],
        devices: [
          {
            id: 'wear-s1',
            patientId: 'p-s1',
            secret: SEED_SECRET,
            // Worn since before Vigil started: the samples below are dated before the start.
            since: new Date(Date.now() - 3_600_000).toISOString(),
          },
        ],
      }),
    );
  });

  afterEach(async () => {
    await vigil?.stop();
    vigil = undefined;
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('keeps acknowledged samples and active alerts across a restart, re-reading the seed harmlessly', async () => {
    vigil = await startVigil(env);
    vigil.secrets.set('wear-s1', SEED_SECRET);
    const nurse = await connectConsole(vigil);
    const raised = nextEvent<Alert>(nurse, 'alert:raised');
    const wearable = await connectDevice(vigil, 'wear-s1');
    const breachTs = Date.now() - 2_000;
    await wearable.publishAsync(
      'devices/wear-s1/vitals',
      JSON.stringify({ ts: breachTs, seq: 1, vitals: { systolicBp: 84, diastolicBp: 50 } }),
      { qos: 1 },
    );
    const alert = await raised;
    await wearable.endAsync();
    nurse.close();
    await vigil.stop();

    vigil = await startVigil(env);
    vigil.secrets.set('wear-s1', SEED_SECRET);
    const patients = (await (await vigil.fetch(`/api/patients`)).json()) as unknown[];
    expect(patients).toEqual([
      expect.objectContaining({
        id: 'p-s1',
        deviceIds: ['wear-s1'],
        latest: { ts: breachTs, vitals: { systolicBp: 84, diastolicBp: 50 } },
      }),
    ]);

    const returningNurse = openConsole(vigil);
    const replayed = nextEvent<Alert>(returningNurse, 'alert:raised');
    await connectConsole(vigil, returningNurse);
    expect(await replayed).toMatchObject({
      id: alert.id,
      rule: 'systolicBp.below',
      state: 'active',
    });

    const newlyRaised = recordEvents<Alert>(returningNurse, 'alert:raised');
    const again = await connectDevice(vigil, 'wear-s1');
    const live = nextEvent(returningNurse, 'vitals');
    await again.publishAsync(
      'devices/wear-s1/vitals',
      JSON.stringify({ ts: Date.now(), seq: 2, vitals: { systolicBp: 82 } }),
      { qos: 1 },
    );
    await live;
    await new Promise((resolve) => setTimeout(resolve, 200));
    newlyRaised.stop();
    expect(newlyRaised.events).toEqual([]);
    await again.endAsync();
    returningNurse.close();
  });

  it('stops start-up with the reasons when the seed file is invalid', async () => {
    const badSeed = join(workDir, 'bad-seed.json');
    writeFileSync(badSeed, JSON.stringify({ patients: [{ id: 'p 1', name: '' }] }));
    await expect(
      startVigil({ DATA_DIR: join(workDir, 'other'), SEED_FILE: badSeed }),
    ).rejects.toThrow(/patients\[0\].*id must be/s);
  });
});
