// Proves how the owner counts a device connected through another node's link: one whose link
// closed and opened again (both nodes alive) is taken as connected by its next readings, not left
// offline while its samples arrive. Ingest, the registry and the links are stand-ins, and the
// links' requests are handed in as the peer link would: this checks EdgeFleet's own bookkeeping.
import type { IngestService } from '@vigil/ingest';
import type { ClusterLinks } from '../cluster/cluster-links';
import type { PeerHolder } from '../cluster/peer-link';
import type { DeviceRegistry } from '../registry/device-registry';
import { BatchedSender } from './batched-sender';
import { EdgeFleet } from './edge-fleet.service';
import type { EdgeRequest } from './edge-messages';

describe('EdgeFleet on a cluster (stand-ins for ingest, registry and links)', () => {
  it('counts a device connected again when its readings come through a link that reopened', async () => {
    const events: string[] = [];
    const ingest = {
      deviceConnected: (id: string) => events.push(`connected ${id}`),
      deviceDisconnected: (id: string) => events.push(`disconnected ${id}`),
      acceptReadings: () => Promise.resolve(undefined),
    } as unknown as IngestService;
    const links = { routeOf: () => undefined } as unknown as ClusterLinks;
    const fleet = new EdgeFleet({ workers: 1 }, ingest, {} as DeviceRegistry, links);
    const served = fleet as unknown as {
      fromPeer(peer: PeerHolder, request: EdgeRequest): void;
      holderEnded(peer: PeerHolder): void;
    };
    const link = (): PeerHolder => ({
      node: 'node-b',
      answers: new BatchedSender(() => undefined),
      tell: () => undefined,
    });
    const first = link();
    served.fromPeer(first, { kind: 'connected', deviceId: 'w1' });
    served.holderEnded(first);
    served.fromPeer(link(), {
      kind: 'readings',
      ref: 1,
      deviceId: 'w1',
      readings: [],
      receivedAt: Date.now(),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['connected w1', 'disconnected w1', 'connected w1']);
  });
});
