// Proves the partition leases against a real PostgreSQL (Debian's, started by the test): one
// node at a time holds a partition; a node that stalls past its lease loses it to another, and
// whatever it then writes is refused and not kept; a take-over waits for a write under way;
// several nodes racing for a lapsed partition leave exactly one owner; leases outlive a crash of
// the database.
import { Pool } from 'pg';
import { startPostgres, type PostgresServer } from '../../../../test/support/postgres-server';
import { FencedError, PartitionLeases } from './partition-leases';

const TTL_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PartitionLeases (real PostgreSQL)', () => {
  let postgres: PostgresServer;
  let pool: Pool;
  let leases: PartitionLeases;

  beforeAll(async () => {
    postgres = await startPostgres();
    pool = new Pool({ connectionString: postgres.url, max: 8 });
    // Idle connections die with the server in the crash test; the pool opens new ones.
    pool.on('error', () => undefined);
    leases = new PartitionLeases(pool, TTL_MS);
    await leases.createSchema();
    await pool.query('CREATE TABLE IF NOT EXISTS notes (partition INTEGER, note TEXT)');
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    await postgres?.stop();
  });

  const notes = async (partition: number) =>
    (
      await pool.query<{ note: string }>(
        'SELECT note FROM notes WHERE partition = $1 ORDER BY note',
        [partition],
      )
    ).rows.map((row) => row.note);

  it('gives a partition to one node at a time, and to another once released', async () => {
    const a = await leases.acquire(1, 'node-a');
    expect(a).toEqual({ partition: 1, owner: 'node-a', epoch: 1 });
    expect(await leases.acquire(1, 'node-b')).toBeUndefined();
    expect(await leases.renew(a!)).toBe(true);
    await leases.release(a!);
    expect(await leases.acquire(1, 'node-b')).toEqual({ partition: 1, owner: 'node-b', epoch: 2 });
  });

  it('fences a node that stalled past its lease: its renewal fails and its writes are not kept', async () => {
    const stalled = (await leases.acquire(2, 'node-a'))!;
    await leases.fenced(stalled, (client) =>
      client.query("INSERT INTO notes VALUES (2, 'a: before the stall')"),
    );
    await sleep(TTL_MS + 100);
    const successor = (await leases.acquire(2, 'node-b'))!;
    expect(successor.epoch).toBe(stalled.epoch + 1);
    expect(await leases.renew(stalled)).toBe(false);
    await expect(
      leases.fenced(stalled, (client) => client.query("INSERT INTO notes VALUES (2, 'a: stale')")),
    ).rejects.toBeInstanceOf(FencedError);
    await leases.fenced(successor, (client) =>
      client.query("INSERT INTO notes VALUES (2, 'b: successor')"),
    );
    expect(await notes(2)).toEqual(['a: before the stall', 'b: successor']);
  });

  it('makes a take-over wait for a write under way under the lease', async () => {
    const holder = (await leases.acquire(3, 'node-a'))!;
    const order: string[] = [];
    const writing = leases.fenced(holder, async (client) => {
      await client.query("INSERT INTO notes VALUES (3, 'a: slow write')");
      await sleep(TTL_MS + 300);
      order.push('write committed');
    });
    await sleep(TTL_MS + 100);
    const taken = leases.acquire(3, 'node-b').then((lease) => {
      order.push('taken over');
      return lease;
    });
    await writing;
    expect((await taken)?.epoch).toBe(holder.epoch + 1);
    expect(order).toEqual(['write committed', 'taken over']);
    expect(await notes(3)).toEqual(['a: slow write']);
  });

  it('leaves exactly one owner when several nodes race for a lapsed partition', async () => {
    await leases.acquire(4, 'node-0');
    await sleep(TTL_MS + 100);
    const won = await Promise.all(
      Array.from({ length: 6 }, (_, index) => leases.acquire(4, `node-${index + 1}`)),
    );
    const winners = won.filter((lease) => lease !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.epoch).toBe(2);
  });

  it('keeps the leases through a crash of the database', async () => {
    const lease = (await leases.acquire(5, 'node-a'))!;
    await postgres.kill();
    await postgres.restart();
    let renewed = false;
    for (let attempt = 0; attempt < 20 && !renewed; attempt++) {
      renewed = await leases.renew(lease).catch(() => false);
      if (!renewed) await sleep(100);
    }
    expect(renewed).toBe(true);
    expect(await leases.acquire(5, 'node-b')).toBeUndefined();
  }, 60_000);
});
