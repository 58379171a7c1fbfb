// The writer thread: commits telemetry to the embedded database so the SQLite work (inserts,
// index updates, the fsync) runs beside the broker's thread instead of on it.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { prepareEmbeddedCommit } from './embedded-writes';
import type { WriterReply, WriterRequest, WriterSetup } from './sqlite-writer-thread';

const { file } = workerData as WriterSetup;
const db = new Database(file);
// Per connection: the main thread's connection set WAL, which the file keeps.
db.pragma('synchronous = FULL');
const commit = prepareEmbeddedCommit(db);
const port = parentPort!;

port.on('message', (request: WriterRequest) => {
  if (request.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    commit(request.writes);
    reply = { id: request.id };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
