// Proves the ownership loop with real PostgreSQL and several nodes in one process, each with its
// own connections: the partitions spread evenly; a node cut off from the database stops acting
// before its leases lapse, and the survivors take its partitions; a node that joins is given its
// share; and at no moment do two nodes act for the same partition (every node's acting periods,
// from `gained` to `lost`, are compared on one clock).
import { Pool } from 'pg';
import { startPostgres, type PostgresServer } from '../../../../test/support/postgres-server';
import { PartitionOwnership } from './partition-ownership';

const PARTITIONS = 12;
const LEASE_MS = 600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Acting {
  node: string;
  partition: number;
  from: number;
  to?: number;
}

describe('PartitionOwnership (real PostgreSQL)', () => {
  let postgres: PostgresServer;
  const pools: Pool[] = [];
  const nodes = new Map<string, PartitionOwnership>();
  const cutOff: PartitionOwnership[] = [];
  const acting: Acting[] = [];

  const pool = () => {
    const created = new Pool({ connectionString: postgres.url, max: 4 });
    created.on('error', () => undefined);
    pools.push(created);
    return created;
  };
  const startNode = async (node: string, connections = pool()) => {
    const ownership = new PartitionOwnership(connections, {
      node,
      partitions: PARTITIONS,
      leaseMs: LEASE_MS,
      gained: (lease) => acting.push({ node, partition: lease.partition, from: Date.now() }),
      lost: (partition) => {
        const period = acting.find((a) => a.node === node && a.partition === partition && !a.to);
        if (period) period.to = Date.now();
      },
    });
    await ownership.start();
    nodes.set(node, ownership);
    return ownership;
  };
  const held = () =>
    Object.fromEntries([...nodes].map(([node, ownership]) => [node, ownership.heldPartitions()]));
  /** Waits until the nodes named hold the partitions evenly between them. */
  const settled = async (names: string[]) => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const counts = names.map((name) => nodes.get(name)?.heldPartitions().length ?? 0);
      const all = new Set(names.flatMap((name) => nodes.get(name)?.heldPartitions() ?? []));
      if (all.size === PARTITIONS && Math.max(...counts) - Math.min(...counts) <= 1) return;
      if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(held())}`);
      await sleep(50);
    }
  };

  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);

  afterAll(async () => {
    for (const ownership of [...nodes.values(), ...cutOff])
      await ownership.stop().catch(() => undefined);
    await Promise.all(pools.map((created) => created.end().catch(() => undefined)));
    await postgres?.stop();
  });

  it('spreads the partitions evenly over the nodes', async () => {
    await Promise.all(['a', 'b', 'c'].map((node) => startNode(node)));
    await settled(['a', 'b', 'c']);
    expect(Object.values(held()).map((partitions) => partitions.length)).toEqual([4, 4, 4]);
  });

  it("gives a node's partitions to the survivors when it is cut off, after it stopped acting", async () => {
    await pools[2].end();
    await settled(['a', 'b']);
    expect(nodes.get('c')?.heldPartitions()).toEqual([]);
    cutOff.push(nodes.get('c') as PartitionOwnership);
    nodes.delete('c');
  });

  it('gives a node that joins its share', async () => {
    await startNode('d');
    await settled(['a', 'b', 'd']);
  });

  it('never lets two nodes act for the same partition at the same time', () => {
    const now = Date.now();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const periods = acting
        .filter((period) => period.partition === partition)
        .sort((x, y) => x.from - y.from);
      for (let i = 1; i < periods.length; i++)
        expect(periods[i].from).toBeGreaterThanOrEqual(periods[i - 1].to ?? now + 1);
    }
  });
});
