// Proves the delivery loop against a real HTTP receiver on loopback and the real embedded queue
// (stand-ins only for the target list and the alerts service, which need the whole application):
// an event queued while the loop finds its queue empty is delivered, not left for the next one.
import { OwnsEveryPatient, type AlertsService } from '@vigil/alerts';
import type { NotificationTarget } from '@vigil/contracts';
import {
  EmbeddedNotificationStore,
  openEmbeddedDatabase,
  type NotificationStore,
} from '@vigil/storage';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { NotificationTargets } from './notification-targets';
import { WebhookDelivery } from './webhook-delivery.service';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('WebhookDelivery (stand-in target list and alerts service)', () => {
  let server: Server;
  const received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        new Webhook(SECRET).verify(
          Buffer.concat(chunks).toString('utf8'),
          request.headers as Record<string, string>,
        );
        received.push(request.headers['webhook-id'] as string);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('delivers what was queued while it found the queue empty', async () => {
    const target: NotificationTarget = {
      id: 't1',
      name: 'phones',
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      minPriority: 'low',
      createdAt: new Date().toISOString(),
      createdBy: 'admin',
    };
    const queue = new EmbeddedNotificationStore(openEmbeddedDatabase(':memory:'));
    let racedOnce = false;
    // The queue is read empty; before the loop ends, an event is queued and the loop is woken.
    const racingStore: NotificationStore = Object.assign(Object.create(queue) as object, {
      head: async (targetId: string) => {
        const head = await queue.head(targetId);
        if (!head && !racedOnce) {
          racedOnce = true;
          await queue.enqueue('msg_raced', '{}', ['t1'], Date.now(), 10);
          delivery.wake('t1');
        }
        return head;
      },
    }) as NotificationStore;
    const targets = {
      list: () => [{ target, webhook: new Webhook(SECRET) }],
      find: () => ({ target, webhook: new Webhook(SECRET) }),
      wardsServedBy: () => [],
    } as unknown as NotificationTargets;
    const delivery = new WebhookDelivery(
      targets,
      { openAlerts: () => [] } as unknown as AlertsService,
      new OwnsEveryPatient(),
      racingStore,
      {
        failureAlarmAfterMs: 60_000,
        maxRetryDelayMs: 1_000,
        attemptTimeoutMs: 2_000,
        maxQueuedPerTarget: 10,
      },
    );
    delivery.wake('t1');
    const deadline = Date.now() + 3_000;
    while (received.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await delivery.onModuleDestroy();
    expect(racedOnce).toBe(true);
    expect(received).toEqual(['msg_raced']);
  });
});
