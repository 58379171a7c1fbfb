import type { AdmittedPatient, VigilClient } from '@vigil/client';

/** How long a wearable is off anyone between two patients (cleaning, in real life). */
const CLEANING_MS = 3_000;

export interface ChurnCounters {
  discharged: number;
  readmitted: number;
  admittedOnReusedWearable: number;
  failed: number;
}

/**
 * Every `everySeconds`, the next patient in turn is discharged (her wearable comes off her);
 * CLEANING_MS later the wearable goes back on, alternately on her, readmitted on a new stay,
 * and on a new patient admitted in her bed. The wearable streams throughout, as a real one
 * does: what it sends while on no one is refused (DEVICE.UNBOUND).
 */
export function startChurn(
  client: VigilClient,
  patients: AdmittedPatient[],
  everySeconds: number,
  log: (line: string) => void,
): { counters: ChurnCounters; stop(): Promise<void> } {
  const counters: ChurnCounters = {
    discharged: 0,
    readmitted: 0,
    admittedOnReusedWearable: 0,
    failed: 0,
  };
  const wearing = [...patients];
  let turn = 0;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const churnOne = async (): Promise<void> => {
    const slot = turn % wearing.length;
    const leaving = wearing[slot];
    const round = Math.floor(turn / wearing.length) + 1;
    turn += 1;
    await client.discharge(leaving.id, 'simulated discharge');
    counters.discharged += 1;
    await new Promise((resolve) => setTimeout(resolve, CLEANING_MS));
    if (stopped) return;
    if (round % 2 === 1) {
      await client.readmit(leaving);
      await client.bind(leaving.deviceId, leaving.id);
      counters.readmitted += 1;
      log(`churn: ${leaving.id} discharged and readmitted; ${leaving.deviceId} back on her`);
      return;
    }
    const next: AdmittedPatient = {
      ...leaving,
      id: `${patients[slot].id}-next-${round}`,
      name: `${patients[slot].name} (next ${round})`,
    };
    await client.admitWithoutWearable(next);
    await client.bind(next.deviceId, next.id);
    wearing[slot] = next;
    counters.admittedOnReusedWearable += 1;
    log(`churn: ${leaving.id} discharged; ${leaving.deviceId} now on ${next.id}`);
  };

  const timer = setInterval(() => {
    running = running.then(churnOne).catch((error: unknown) => {
      counters.failed += 1;
      log(`churn failed: ${String(error)}`);
    });
  }, everySeconds * 1000);
  return {
    counters,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
