import { Inject, Injectable } from '@nestjs/common';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Patient, Stay } from '@vigil/contracts';
import {
  OBSERVATION_STORE,
  StoreBusyError,
  TELEMETRY_STORE,
  type ObservationStore,
  type TelemetryStore,
} from '@vigil/storage';
import {
  chartNurseSet,
  chartSample,
  type ChartedObservation,
  type ChartingContext,
} from './charted-observations';
import { KIND, KIND_NAMES, SYSTEM, type KindName } from './fhir-codes';
import { tokenMatches, type Cursor, type Token, type TimeWindow } from './fhir-search';

/** Samples read from the store at a time, and at most this many reads for one page. */
const SAMPLE_BATCH = 500;
const MAX_BATCHES = 10;
/** Nurses' sets read for one batch's span of time: far more than any ward records in it. */
const MAX_SETS_PER_BATCH = 1_000;
/** Listings wait their turn; beyond this many waiting, a reader is told to come back. */
const MAX_WAITING_LISTINGS = 8;

export interface ListingQuery {
  readonly window: TimeWindow;
  readonly categories?: readonly Token[];
  readonly codes?: readonly Token[];
  readonly newestFirst: boolean;
  readonly cursor?: Cursor;
  readonly count: number;
}

export interface ListingPage {
  readonly entries: readonly ChartedObservation[];
  /** Where the next page resumes, when there may be more. */
  readonly next?: Cursor;
}

const compare = (a: Cursor, b: Cursor) =>
  a.ts !== b.ts ? a.ts - b.ts : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * A patient's Observations in time order, from her samples and her nurses' sets merged, one page
 * at a time. A page reads at most SAMPLE_BATCH × MAX_BATCHES samples; when that finds fewer than
 * asked for (a narrow code over a long window), the page is short and its link goes on from
 * where the reading stopped.
 */
@Injectable()
export class ObservationListing {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly telemetry: TelemetryStore,
    @Inject(OBSERVATION_STORE) private readonly observations: ObservationStore,
  ) {}

  /** One listing charts at a time, so an alarm waits behind one batch at most, not several. */
  private turn: Promise<void> = Promise.resolve();
  private waiting = 0;

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.waiting >= MAX_WAITING_LISTINGS)
      throw new StoreBusyError(`${this.waiting} Observation listings wait; retry shortly`);
    this.waiting += 1;
    const previous = this.turn;
    let done = () => undefined as void;
    this.turn = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
    } finally {
      this.waiting -= 1;
    }
    try {
      return await work();
    } finally {
      done();
    }
  }

  page(patient: Patient, stays: readonly Stay[], query: ListingQuery): Promise<ListingPage> {
    return this.inTurn(() => this.pageNow(patient, stays, query));
  }

  private async pageNow(
    patient: Patient,
    stays: readonly Stay[],
    query: ListingQuery,
  ): Promise<ListingPage> {
    const found: ChartedObservation[] = [];
    const scan = this.scan(patient, stays, query);
    for await (const batch of scan) {
      found.push(...batch);
      if (found.length > query.count) {
        const last = found[query.count - 1];
        return { entries: found.slice(0, query.count), next: { ts: last.ts, key: last.sortKey } };
      }
    }
    return { entries: found, ...(scan.resume && { next: scan.resume }) };
  }

  /**
   * The latest `max` Observations of each kind asked for, newest first, within the reading bound;
   * a retracted one is not the latest of anything.
   */
  latest(
    patient: Patient,
    stays: readonly Stay[],
    query: Omit<ListingQuery, 'newestFirst' | 'count' | 'cursor'>,
    max: number,
  ): Promise<ChartedObservation[]> {
    return this.inTurn(() => this.latestNow(patient, stays, query, max));
  }

  private async latestNow(
    patient: Patient,
    stays: readonly Stay[],
    query: Omit<ListingQuery, 'newestFirst' | 'count' | 'cursor'>,
    max: number,
  ): Promise<ChartedObservation[]> {
    const kept = new Map<string, ChartedObservation[]>();
    for await (const batch of this.scan(patient, stays, { ...query, newestFirst: true })) {
      for (const entry of batch) {
        if (entry.resource.status === 'entered-in-error') continue;
        const ofKind = kept.get(entry.kind) ?? [];
        if (ofKind.length < max) kept.set(entry.kind, [...ofKind, entry]);
      }
      const wantedKinds = KIND_NAMES.filter((kind) => wanted(query, kind));
      if (wantedKinds.every((kind) => (kept.get(kind)?.length ?? 0) >= max)) break;
    }
    return [...kept.values()].flat();
  }

  private scan(patient: Patient, stays: readonly Stay[], query: Omit<ListingQuery, 'count'>): Scan {
    const context = chartingContext(patient, stays);
    const isWanted = (kind: KindName) => wanted(query, kind);
    const direction = query.newestFirst ? -1 : 1;
    const beyondCursor = (entry: ChartedObservation) =>
      query.cursor === undefined ||
      direction * compare({ ts: entry.ts, key: entry.sortKey }, query.cursor) > 0;
    const telemetry = this.telemetry;
    const observations = this.observations;
    let { from, to } = clip(query);
    const scan: Scan = {
      resume: undefined,
      async *[Symbol.asyncIterator]() {
        for (let batch = 0; batch < MAX_BATCHES && from < to; batch += 1) {
          // The embedded store reads on this thread: devices and alarms get their turn between
          // batches, not after the whole page.
          if (batch > 0) await yieldToIo();
          const samples = await telemetry.querySamples({
            patientId: patient.id,
            from,
            to,
            limit: SAMPLE_BATCH,
            newestFirst: query.newestFirst,
          });
          // A full batch covers the time up to its last sample's, exclusive: more may share it.
          const edge = samples.length === SAMPLE_BATCH ? samples[samples.length - 1].ts : undefined;
          const span: TimeWindow = query.newestFirst
            ? { from: edge === undefined ? from : edge + 1, to }
            : { from, to: edge ?? to };
          const sets = await observations.list({
            patientId: patient.id,
            from: span.from,
            to: span.to - 1,
            limit: MAX_SETS_PER_BATCH,
          });
          if (query.newestFirst) to = span.from;
          else from = span.to;
          yield [
            ...samples
              .filter((sample) => sample.ts >= span.from && sample.ts < span.to)
              .flatMap((sample) => chartSample(sample, context, isWanted)),
            ...sets.flatMap((set) => chartNurseSet(set, context, isWanted)),
          ]
            .filter(beyondCursor)
            .sort(
              (a, b) =>
                direction * compare({ ts: a.ts, key: a.sortKey }, { ts: b.ts, key: b.sortKey }),
            );
        }
        // Stopped by the reading bound before the window's end: the next page resumes there.
        if (from < to)
          scan.resume = query.newestFirst ? { ts: to, key: '' } : { ts: from - 1, key: '\uffff' };
      },
    };
    return scan;
  }
}

/** The batches of one reading, and where a next page would resume once it has stopped short. */
interface Scan extends AsyncIterable<ChartedObservation[]> {
  resume: Cursor | undefined;
}

function wanted(query: Pick<ListingQuery, 'codes' | 'categories'>, kindName: KindName): boolean {
  const kind = KIND[kindName];
  if (query.codes && !tokenMatches(query.codes, kind.code.coding ?? [])) return false;
  return (
    !query.categories ||
    tokenMatches(query.categories, [{ system: SYSTEM.observationCategory, code: kind.category }])
  );
}

/** The window, narrowed to where the cursor resumes. */
function clip(query: Pick<ListingQuery, 'window' | 'cursor' | 'newestFirst'>): TimeWindow {
  const from = Math.max(query.window.from, 0);
  const to = Math.min(query.window.to, Date.now() + 24 * 3_600_000);
  if (!query.cursor) return { from, to };
  return query.newestFirst
    ? { from, to: Math.min(to, query.cursor.ts + 1) }
    : { from: Math.max(from, query.cursor.ts), to };
}

export function chartingContext(patient: Patient, stays: readonly Stay[]): ChartingContext {
  return {
    patientId: patient.id,
    spo2Scale: patient.spo2Scale,
    stayAt: (ts) =>
      stays.find(
        (stay) =>
          Date.parse(stay.start) <= ts && (stay.end === undefined || ts < Date.parse(stay.end)),
      )?.id,
  };
}
