// Proves the simulator as a developer runs it (the built command, a real Vigil): every scenario's
// promise is checked against the alerts Vigil raises, the run is recorded, the recording replays
// with every sample acknowledged, a CSV export replays as a wearable, and --churn discharges,
// readmits and moves wearables to new patients while they stream.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_ADMIN, startVigil, type VigilHarness } from './support/vigil-harness';

const SIMULATOR = 'dist/simulator/device-simulator/src/main.js';

describe('the device simulator against a real Vigil', () => {
  let vigil: VigilHarness;
  const work = mkdtempSync(join(tmpdir(), 'vigil-sim-'));

  const simulate = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          SIMULATOR,
          '--http',
          vigil.httpUrl,
          '--mqtt',
          `mqtt://127.0.0.1:${vigil.mqttPort}`,
          ...args,
        ],
        { env: { ...process.env, VIGIL_PASSWORD: TEST_ADMIN.password }, timeout: 120_000 },
      );
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: `${failed.stdout}\n${failed.stderr}` };
    }
  };

  beforeAll(async () => {
    if (!existsSync(SIMULATOR)) throw new Error(`${SIMULATOR} is missing: npm run build`);
    vigil = await startVigil({ NO_DATA_TIMEOUT_SECONDS: '10' });
  });

  afterAll(async () => {
    await vigil?.stop({ removeData: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('plays every scenario at 4x and Vigil raises what each promises, nothing else', async () => {
    const recording = join(work, 'run.ndjson');
    // 18 patients, mixed: every story once, and a stable patient between each.
    const run = await simulate(
      ...['--patients', '18', '--speed', '4', '--duration', '40', '--seed', '3'],
      ...['--ward', 'ward-4', '--record', recording],
    );
    expect(run.stdout).toMatch(/acceptance/);
    // Each scenario's verdicts, e.g. all nine stable patients: "PASS".
    const verdicts: Record<string, string> = {};
    for (const [, verdict, scenario] of run.stdout.matchAll(
      /^\s+(PASS|FAIL|PENDING)\s+\S+ \(([\w-]+)\)/gm,
    )) {
      const seen = new Set((verdicts[scenario] ?? verdict).split('/')).add(verdict);
      verdicts[scenario] = [...seen].sort().join('/');
    }
    expect(verdicts).toEqual({
      stable: 'PASS',
      hypoxia: 'PASS',
      bradycardia: 'PASS',
      copd: 'PASS',
      artifact: 'PASS',
      'sensor-off': 'PASS',
      offline: 'PASS',
      // Not due within 40 s: sepsis takes hours, the rise rule a minute of real time, the
      // battery minutes.
      sepsis: 'PENDING',
      tachycardia: 'PENDING',
      battery: 'PENDING',
    });
    expect(run.code).toBe(0);
    const [sent, acknowledged] = /sent (\d+), acknowledged (\d+)/
      .exec(run.stdout)
      ?.slice(1)
      .map(Number) ?? [0, -1];
    expect(sent).toBeGreaterThan(18 * 30);
    expect(acknowledged).toBe(sent);

    const lines = readFileSync(recording, 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ vigilRecording: 1, seed: 3 });
    // The offline wearable's buffered samples were recorded as the batch it sent.
    expect(lines.some((line) => line.includes('"samples":['))).toBe(true);

    const replayed = await simulate('--replay', recording, '--speed', '8');
    expect(replayed.code).toBe(0);
    const [resent, reacknowledged] = /sent (\d+), acknowledged (\d+)/
      .exec(replayed.stdout)
      ?.slice(1)
      .map(Number) ?? [0, -1];
    expect(resent).toBe(sent);
    expect(reacknowledged).toBe(resent);
  }, 120_000);

  it('replays a CSV export through a column mapping, timestamps moved to now', async () => {
    const csv = join(work, 'monitor.csv');
    const start = Date.parse('2026-02-01T09:00:00Z');
    const rows = Array.from(
      { length: 5 },
      (_, i) => `${new Date(start + i * 1000).toISOString()},${70 + i},${97}`,
    );
    writeFileSync(csv, ['Time,Pulse,Sat', ...rows].join('\n'));
    const run = await simulate(
      ...['--csv', csv, '--map', 'ts=Time,heartRate=Pulse,spo2=Sat', '--csv-device', 'mon-1'],
      ...['--ward', 'ward-4'],
    );
    expect(run.stdout).toMatch(/sent 5, acknowledged 5/);
    const patient = (await (await vigil.fetch('/api/patients/csv-mon-1')).json()) as {
      latest: { ts: number; vitals: Record<string, number> };
    };
    expect(patient.latest.vitals).toEqual({ heartRate: 74, spo2: 97 });
    expect(Date.now() - patient.latest.ts).toBeLessThan(30_000);
  });

  it('churns: discharges, readmits and puts the same wearables on new patients while they stream', async () => {
    const run = await simulate(
      ...['--patients', '2', '--duration', '14', '--churn', '3', '--seed', '9'],
      ...['--ward', 'ward-6', '--scenario', 'stable'],
    );
    expect(run.code).toBe(0);
    const [, discharged, readmitted, moved, failed] =
      /churn: (\d+) discharged, (\d+) readmitted, (\d+) new patients on reused wearables, (\d+) failed/.exec(
        run.stdout,
      ) ?? [];
    expect(Number(failed)).toBe(0);
    expect(Number(discharged)).toBeGreaterThanOrEqual(3);
    expect(Number(readmitted)).toBeGreaterThanOrEqual(2);
    expect(Number(moved)).toBeGreaterThanOrEqual(1);
    // The first patient's wearable went to a new patient: its history names both, one after the other.
    const history = (await (await vigil.fetch('/api/devices/sim-9-1-wearable/history')).json()) as {
      patientId: string;
      to: string | null;
    }[];
    expect(new Set(history.map((period) => period.patientId))).toEqual(
      new Set(['sim-9-1', 'sim-9-1-next-2']),
    );
    const stays = (await (await vigil.fetch('/api/patients/sim-9-1/stays')).json()) as unknown[];
    expect(stays.length).toBeGreaterThanOrEqual(2);
  });
});
