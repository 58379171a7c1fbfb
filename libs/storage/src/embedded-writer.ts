import type { EmbeddedDatabase, EmbeddedDatabaseOptions } from './embedded-database';
import { prepareEmbeddedCommit, type EmbeddedWrite } from './embedded-writes';
import { GroupCommit } from './group-commit';
import { EmbeddedDatabaseThread } from './embedded-database-thread';

/**
 * Every write on the ingest path to the embedded database goes through here: samples, alert
 * events, rule states. Writes within a few milliseconds share one transaction (one fsync), and
 * for a database file that transaction runs on a writer thread, beside the broker's thread
 * instead of on it. One queue keeps the writes in the order they were asked for.
 */
export class EmbeddedWriter {
  private readonly group: GroupCommit<EmbeddedWrite>;
  private readonly thread?: EmbeddedDatabaseThread;

  constructor(db: EmbeddedDatabase, options: EmbeddedDatabaseOptions = {}) {
    let commit: (writes: readonly EmbeddedWrite[]) => void | Promise<void>;
    if (db.memory) {
      commit = prepareEmbeddedCommit(db);
    } else {
      const thread = new EmbeddedDatabaseThread({ file: db.name, role: 'writer', ...options });
      commit = (writes) => thread.commit(writes);
      this.thread = thread;
    }
    // Up to 5 ms of writes per fsync: a PUBACK waits at most that much longer.
    this.group = new GroupCommit(commit, 5);
  }

  /** Resolves once the write is durable. */
  write(write: EmbeddedWrite): Promise<void> {
    return this.group.add(write);
  }

  /** Commits everything asked for and stops the writer thread. */
  async close(): Promise<void> {
    await this.group.drain();
    await this.thread?.close();
  }
}
