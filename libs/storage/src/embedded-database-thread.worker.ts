// A SQLite thread (embedded-database-thread.ts): the writer commits telemetry, the reader aggregates history and reports and reads samples,
// each on its own connection, so neither runs on the broker's thread.
import { parentPort, workerData } from 'node:worker_threads';
import { connectEmbeddedDatabase } from './embedded-database';
import { prepareAlarmLoadQuery } from './embedded-alarm-load';
import { prepareHistoryQuery } from './embedded-history';
import { prepareSamplesQuery } from './embedded-samples';
import { prepareEmbeddedCommit } from './embedded-writes';
import type {
  EmbeddedDatabaseThreadReply,
  EmbeddedDatabaseThreadRequest,
  EmbeddedDatabaseThreadSetup,
} from './embedded-database-thread';

const setup = workerData as EmbeddedDatabaseThreadSetup;
const db = connectEmbeddedDatabase(setup.file, setup);
// Per connection: the main thread's connection set WAL, which the file keeps.
if (setup.role === 'writer') db.pragma('synchronous = FULL');
const commit = setup.role === 'writer' ? prepareEmbeddedCommit(db) : undefined;
const history = setup.role === 'reader' ? prepareHistoryQuery(db) : undefined;
const alarmLoad = setup.role === 'reader' ? prepareAlarmLoadQuery(db) : undefined;
const samples = setup.role === 'reader' ? prepareSamplesQuery(db) : undefined;
const port = parentPort!;

function answer(request: Exclude<EmbeddedDatabaseThreadRequest, { kind: 'close' }>): unknown {
  if (request.kind === 'commit' && commit) return commit(request.writes);
  if (request.kind === 'history' && history) return history(request.query);
  if (request.kind === 'alarm-load' && alarmLoad) return alarmLoad(request.query);
  if (request.kind === 'samples' && samples) return samples(request.query);
  throw new Error(`a ${setup.role} thread does not take ${request.kind}`);
}

port.on('message', (request: EmbeddedDatabaseThreadRequest) => {
  if (request.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: EmbeddedDatabaseThreadReply;
  try {
    reply = { id: request.id, result: answer(request) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
