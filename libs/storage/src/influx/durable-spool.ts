import { writeTransaction, type EmbeddedDatabase } from '../embedded-database';

export interface SpoolBatch {
  readonly firstId: number;
  readonly lastId: number;
  readonly lines: string[];
}

/**
 * Line protocol written to local disk before InfluxDB has it: what a device was acknowledged for
 * stays here, in order, until InfluxDB confirms it, across outages and restarts.
 */
export class DurableSpool {
  private readonly insertLine;
  private readonly selectBatch;
  private readonly deleteThrough;
  private readonly rejectRange;
  private lineCount: number;

  constructor(private readonly db: EmbeddedDatabase) {
    this.insertLine = db.prepare('INSERT INTO spool (line) VALUES (?)');
    this.selectBatch = db.prepare('SELECT id, line FROM spool ORDER BY id LIMIT ?');
    this.deleteThrough = db.prepare('DELETE FROM spool WHERE id <= ?');
    const moveRange = db.prepare(
      'INSERT INTO spool_rejected (id, line, error, at) SELECT id, line, ?, ? FROM spool WHERE id BETWEEN ? AND ?',
    );
    const deleteRange = db.prepare('DELETE FROM spool WHERE id BETWEEN ? AND ?');
    this.rejectRange = writeTransaction(db, (batch: SpoolBatch, error: string) => {
      moveRange.run(error, new Date().toISOString(), batch.firstId, batch.lastId);
      deleteRange.run(batch.firstId, batch.lastId);
    });
    this.lineCount = (db.prepare('SELECT COUNT(*) AS n FROM spool').get() as { n: number }).n;
  }

  get depth(): number {
    return this.lineCount;
  }

  /** Appends lines; call inside the caller's transaction, which makes them durable. */
  insert(lines: readonly string[]): void {
    for (const line of lines) this.insertLine.run(line);
    this.lineCount += lines.length;
  }

  /** The oldest lines, in the order they were written. */
  peek(limit: number): SpoolBatch | undefined {
    const rows = this.selectBatch.all(limit) as { id: number; line: string }[];
    if (rows.length === 0) return undefined;
    return {
      firstId: rows[0].id,
      lastId: rows[rows.length - 1].id,
      lines: rows.map((row) => row.line),
    };
  }

  /** InfluxDB has the batch: forget it. */
  remove(batch: SpoolBatch): void {
    this.lineCount -= this.deleteThrough.run(batch.lastId).changes;
  }

  /** InfluxDB refuses the batch as malformed: keep it aside, with the reason, for a person to read. */
  reject(batch: SpoolBatch, error: string): void {
    this.rejectRange(batch, error);
    this.lineCount -= batch.lines.length;
  }

  /** For a transaction that wraps `insert`. */
  transaction<T extends unknown[]>(work: (...args: T) => void): (...args: T) => void {
    return writeTransaction(this.db, work);
  }
}
