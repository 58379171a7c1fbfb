import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ServerOptions, Server } from 'socket.io';

/** The Redis stream the nodes' consoles share, bounded (Redis trims it almost exactly). */
export const CARE_STREAM = 'vigil:care';
const CARE_STREAM_MAX_LENGTH = 10_000;
/**
 * Each node says it is alive every second; one silent for three is taken as gone, and the
 * questions other nodes asked it (serverSideEmit with an answer) stop waiting for it.
 */
const HEARTBEAT_INTERVAL_MS = 1_000;
const HEARTBEAT_TIMEOUT_MS = 3_000;

/** What the adapter needs of a connected Redis client (node-redis). */
export interface ClusterRedisClient {
  quit(): Promise<unknown>;
}

/**
 * Socket.IO with the Redis Streams adapter: an event emitted to a ward's room on one node reaches
 * that ward's consoles on every node. Streams rather than PUB/SUB: after a lost connection to
 * Redis, each node resumes reading where it stopped instead of losing what was sent meanwhile.
 */
export class ClusterIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly redis: ClusterRedisClient,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    server.adapter(
      createAdapter(this.redis, {
        streamName: CARE_STREAM,
        maxLen: CARE_STREAM_MAX_LENGTH,
        heartbeatInterval: HEARTBEAT_INTERVAL_MS,
        heartbeatTimeout: HEARTBEAT_TIMEOUT_MS,
      }),
    );
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.redis.quit().catch(() => undefined);
  }
}
