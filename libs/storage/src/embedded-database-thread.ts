import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedDatabaseOptions } from './embedded-database';
import type { EmbeddedWrite } from './embedded-writes';
import type { Sample } from '@vigil/contracts';
import type { HistoryPoint, HistoryQuery, SampleQuery } from './telemetry-store.port';
import type { AlarmLoadQuery, AlarmLoadRows } from './alarm-load.port';

export interface EmbeddedDatabaseThreadSetup extends EmbeddedDatabaseOptions {
  /** The database file the main thread opened (and created the schema of). */
  readonly file: string;
  /** A writer commits with synchronous=FULL; a reader only reads. */
  readonly role: 'writer' | 'reader';
}

export type EmbeddedDatabaseThreadRequest =
  | { readonly kind: 'commit'; readonly id: number; readonly writes: readonly EmbeddedWrite[] }
  | { readonly kind: 'history'; readonly id: number; readonly query: HistoryQuery }
  | { readonly kind: 'alarm-load'; readonly id: number; readonly query: AlarmLoadQuery }
  | { readonly kind: 'samples'; readonly id: number; readonly query: SampleQuery }
  | { readonly kind: 'close' };

export interface EmbeddedDatabaseThreadReply {
  readonly id: number;
  readonly error?: string;
  readonly result?: unknown;
}

const WORKER = 'embedded-database-thread.worker';

/**
 * The worker script beside this file: the compiled JavaScript in a build, or, when Vigil runs from
 * its TypeScript sources (the unit tests under Jest), the TypeScript source through tsx's loader.
 */
function workerScript(): { file: string; execArgv?: string[] } {
  const compiled = join(__dirname, `${WORKER}.js`);
  if (existsSync(compiled)) return { file: compiled };
  const source = join(__dirname, `${WORKER}.ts`);
  if (!existsSync(source)) throw new Error(`SQLite thread script missing: ${compiled}`);
  return { file: source, execArgv: ['--require', require.resolve('tsx/cjs')] };
}

/**
 * A worker thread holding its own connection to the database file, so SQLite's work (a group
 * commit's inserts and fsync, a history aggregate, a report) runs beside the broker's thread instead of on
 * it. Requests run one at a time, in order. A request's promise settles with the worker's answer;
 * if the worker dies, the requests under way fail (commits are then not acknowledged and their
 * devices resend) and the next request starts a new worker.
 */
export class EmbeddedDatabaseThread {
  private worker?: Worker;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (result: unknown) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly setup: EmbeddedDatabaseThreadSetup) {}

  /** Requests sent and not yet answered. */
  get pending(): number {
    return this.waiting.size;
  }

  async commit(writes: readonly EmbeddedWrite[]): Promise<void> {
    await this.send({ kind: 'commit', id: this.nextId++, writes });
  }

  history(query: HistoryQuery): Promise<HistoryPoint[]> {
    return this.send({ kind: 'history', id: this.nextId++, query }) as Promise<HistoryPoint[]>;
  }

  samples(query: SampleQuery): Promise<Sample[]> {
    return this.send({ kind: 'samples', id: this.nextId++, query }) as Promise<Sample[]>;
  }

  alarmLoad(query: AlarmLoadQuery): Promise<AlarmLoadRows> {
    return this.send({ kind: 'alarm-load', id: this.nextId++, query }) as Promise<AlarmLoadRows>;
  }

  /** Call once every request has settled. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    const request: EmbeddedDatabaseThreadRequest = { kind: 'close' };
    worker.postMessage(request);
    await exited;
  }

  private send(
    request: Exclude<EmbeddedDatabaseThreadRequest, { kind: 'close' }>,
  ): Promise<unknown> {
    const worker = this.worker ?? this.start();
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      try {
        worker.postMessage(request);
      } catch (error) {
        // Something that cannot be cloned: this request fails, nothing is left waiting.
        this.waiting.delete(request.id);
        throw error;
      }
    });
  }

  private start(): Worker {
    const script = workerScript();
    const worker = new Worker(script.file, { workerData: this.setup, execArgv: script.execArgv });
    worker.on('message', (reply: EmbeddedDatabaseThreadReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.error === undefined) waiter.resolve(reply.result);
      else waiter.reject(new Error(`SQLite ${this.setup.role} failed: ${reply.error}`));
    });
    const lost = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      const error = new Error(`SQLite ${this.setup.role} thread ${reason}`);
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => lost(`exited (code ${code})`));
    this.worker = worker;
    return worker;
  }
}
