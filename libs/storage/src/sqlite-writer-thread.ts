import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedWrite } from './embedded-writes';

export interface WriterSetup {
  /** The database file the main thread opened (and created the schema of). */
  readonly file: string;
}

export type WriterRequest =
  | { readonly kind: 'commit'; readonly id: number; readonly writes: readonly EmbeddedWrite[] }
  | { readonly kind: 'close' };

export interface WriterReply {
  readonly id: number;
  readonly error?: string;
}

const WORKER_FILE = 'sqlite-writer.worker.js';

/**
 * The compiled worker beside this file. Jest runs the TypeScript sources, where there is none;
 * it then takes the build's copy (`npm test` builds before it runs Jest).
 */
function workerScript(): string {
  const beside = join(__dirname, WORKER_FILE);
  if (existsSync(beside)) return beside;
  const built = join(__dirname, '../../../dist/server/libs/storage/src', WORKER_FILE);
  if (existsSync(built)) return built;
  throw new Error(`SQLite writer thread not built: run npm run build (looked for ${beside})`);
}

/**
 * Hands group commits to a worker thread holding its own connection to the database file. A
 * commit's promise settles when the worker's transaction has (synchronous=FULL) or has not
 * committed. If the worker dies, the commits under way fail, so their devices are not
 * acknowledged and resend, and the next commit starts a new worker.
 */
export class SqliteWriterThread {
  private worker?: Worker;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: () => void; reject: (error: Error) => void }
  >();

  constructor(private readonly file: string) {}

  commit(writes: readonly EmbeddedWrite[]): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: WriterRequest = { kind: 'commit', id, writes };
      try {
        worker.postMessage(request);
      } catch (error) {
        // Something that cannot be cloned: this commit fails, nothing is left waiting.
        this.waiting.delete(id);
        throw error;
      }
    });
  }

  /** Call once every commit has settled. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    const request: WriterRequest = { kind: 'close' };
    worker.postMessage(request);
    await exited;
  }

  private start(): Worker {
    const setup: WriterSetup = { file: this.file };
    const worker = new Worker(workerScript(), { workerData: setup });
    worker.on('message', (reply: WriterReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.error === undefined) waiter.resolve();
      else waiter.reject(new Error(`commit failed: ${reply.error}`));
    });
    const lost = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      const error = new Error(`SQLite writer thread ${reason}`);
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => lost(`exited (code ${code})`));
    this.worker = worker;
    return worker;
  }
}
