// Proves, with a real HTTP receiver that verifies every signature with the Standard Webhooks
// library, that alert events reach a notification target once each and in order per alert;
// that with the receiver down for a minute and Vigil restarted meanwhile nothing is lost and
// `notification.failed` is raised on the ward, then cleared; and that a gateway's signed
// answers acknowledge or escalate the alert.
import type { Alert, CreatedNotificationTarget, NotificationPayload } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'socket.io-client';
import { Webhook } from 'standardwebhooks';
import { freePort } from './support/free-port';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  publishSustained,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  readonly id: string;
  readonly type: string;
  readonly alertId: string;
}

/** A gateway's endpoint: takes only what verifies, remembers what it took. */
class Receiver {
  readonly received: Received[] = [];
  refused = 0;
  private server?: Server;

  constructor(
    readonly port: number,
    private readonly secret: () => string,
  ) {}

  start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const payload = new Webhook(this.secret()).verify(
            body,
            request.headers as Record<string, string>,
          ) as NotificationPayload;
          this.received.push({
            id: request.headers['webhook-id'] as string,
            type: payload.type,
            alertId: payload.data.alert.id,
          });
          response.writeHead(204).end();
        } catch {
          this.refused++;
          response.writeHead(401).end();
        }
      });
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  typesOf(alertId: string): string[] {
    return this.received.filter((event) => event.alertId === alertId).map((event) => event.type);
  }

  async waitFor(alertId: string, types: string[], timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.typesOf(alertId).length < types.length && Date.now() < deadline) await sleep(100);
    expect(this.typesOf(alertId)).toEqual(types);
  }
}

/**
 * Every event of every alert of the ward, as its stored history has them, reached the receiver
 * once and in that order (the history is what Vigil announced: nothing was paused here).
 */
async function expectEverythingDelivered(vigil: VigilHarness, receiver: Receiver): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const alerts = (await (await vigil.fetch('/api/alerts?ward=ward-1')).json()) as {
      id: string;
      history: { kind: string }[];
    }[];
    const expected = Object.fromEntries(
      alerts.map((alert) => [alert.id, alert.history.map((event) => `alert.${event.kind}`)]),
    );
    const received = Object.fromEntries(
      alerts.map((alert) => [alert.id, receiver.typesOf(alert.id)]),
    );
    if (JSON.stringify(received) === JSON.stringify(expected) || Date.now() > deadline) {
      expect(received).toEqual(expected);
      break;
    }
    await sleep(200);
  }
  const ids = receiver.received.map((event) => event.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(receiver.refused).toBe(0);
}

describe('webhooks: alerts beyond the console', () => {
  let vigil: VigilHarness;
  let nurse: string;
  let wearable: MqttClient;
  let ward: Socket;
  let target: CreatedNotificationTarget;
  let receiver: Receiver;
  let seq = 0;
  const env = {
    NOTIFICATION_FAILURE_ALARM_SECONDS: '10',
    NOTIFICATION_RETRY_MAX_SECONDS: '2',
    ESCALATE_AFTER_SECONDS: '600',
  };

  const breach = (vitals: Record<string, number>) => {
    seq += 2;
    return publishSustained(wearable, 'wear-hook', vitals, seq - 2);
  };
  const raised = (rule: string) =>
    nextEvent<Alert>(ward, 'alert:raised', (alert) => alert.rule === rule, 10_000);
  const acknowledge = async (alertId: string) =>
    expect((await vigil.post(`/api/alerts/${alertId}/ack`, {}, nurse)).status).toBe(200);
  /** Posts a gateway's answer, signed with the target's secret unless another is given. */
  const respond = async (alertId: string, response: string, secret = target.secret) => {
    const body = JSON.stringify({ targetId: target.id, response, recipient: 'Jo (ext 4411)' });
    const id = `msg_answer_${++seq}`;
    const now = new Date();
    return fetch(`${vigil.httpUrl}/api/alerts/${alertId}/responses`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, now, body),
      },
      body,
    });
  };

  beforeAll(async () => {
    vigil = await startVigil(env);
    nurse = await signInAs(vigil, { username: 'nurse-hook', role: 'nurse', wards: ['ward-1'] });
    await admitPatientWithDevice(
      vigil,
      { id: 'p-hook', name: 'Hana Hook', ward: 'ward-1' },
      'wear-hook',
    );
    wearable = await connectDevice(vigil, 'wear-hook');
    ward = await connectConsole(vigil);
    receiver = new Receiver(await freePort(), () => target.secret);
    await receiver.start();
  });

  afterAll(async () => {
    ward?.close();
    await wearable?.endAsync(true);
    await receiver?.stop();
    await vigil?.stop({ removeData: true });
  });

  it('lets only administrators register a target, and shows its secret once', async () => {
    const body = {
      name: 'Ward 1 phones',
      url: `http://127.0.0.1:${receiver.port}/hook`,
      ward: 'ward-1',
      minPriority: 'low',
    };
    expect((await vigil.post('/api/notification-targets', body, nurse)).status).toBe(403);
    expect(
      (await vigil.post('/api/notification-targets', { ...body, url: 'file:///etc/passwd' }))
        .status,
    ).toBe(400);
    const created = await vigil.post('/api/notification-targets', body);
    expect(created.status).toBe(201);
    target = created.body as CreatedNotificationTarget;
    expect(target.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = (await (await vigil.fetch('/api/notification-targets')).json()) as object[];
    expect(listed).toEqual([expect.objectContaining({ id: target.id, pending: 0 })]);
    expect(JSON.stringify(listed)).not.toContain(target.secret);
  });

  it("delivers an alert's events once each, signed, in order", async () => {
    const desaturation = raised('spo2.below');
    await breach({ spo2: 85 });
    const alert = await desaturation;
    await acknowledge(alert.id);
    await breach({ spo2: 97 });
    await receiver.waitFor(alert.id, ['alert.raised', 'alert.acknowledged', 'alert.resolved']);
    await expectEverythingDelivered(vigil, receiver);
  });

  it("takes a gateway's signed answers: accepted acknowledges, rejected escalates, a bad signature is refused", async () => {
    const fever = raised('temperature.above');
    await breach({ temperature: 39.6 });
    const alert = await fever;
    expect((await respond(alert.id, 'accepted', 'whsec_' + 'A'.repeat(43) + '=')).status).toBe(401);
    expect((await respond(alert.id, 'delivered')).status).toBe(200);
    const escalated = nextEvent<{ kind: string; alert: Alert }>(
      ward,
      'alert:escalated',
      (event) => event.alert.id === alert.id,
    );
    expect((await respond(alert.id, 'rejected')).status).toBe(200);
    expect((await escalated).kind).toBe('escalated');
    const accepted = await respond(alert.id, 'accepted');
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'Jo (ext 4411) via Ward 1 phones',
    });
    await breach({ temperature: 37 });
    await receiver.waitFor(alert.id, [
      'alert.raised',
      'alert.escalated',
      'alert.acknowledged',
      'alert.resolved',
    ]);
  });

  it('loses nothing while the receiver is down for a minute and Vigil restarts, and raises notification.failed meanwhile', async () => {
    await receiver.stop();
    const downAt = Date.now();
    const tachycardia = raised('heartRate.above');
    await breach({ heartRate: 150 });
    const alert = await tachycardia;
    await acknowledge(alert.id);
    const failed = await nextEvent<Alert>(
      ward,
      'alert:raised',
      (raisedAlert) => raisedAlert.rule === 'notification.failed',
      20_000,
    );
    expect(failed).toMatchObject({ ward: 'ward-1', category: 'technical' });
    expect(failed.message).toMatch(/Ward 1 phones/);

    ward.close();
    await wearable.endAsync(true);
    await vigil.stop();
    vigil = await startVigil({ ...env, DATA_DIR: vigil.dataDir });
    ward = await connectConsole(vigil);
    const [status] = (await (await vigil.fetch('/api/notification-targets')).json()) as {
      pending: number;
      failingSince?: string;
    }[];
    expect(status.pending).toBeGreaterThanOrEqual(3);
    expect(status.failingSince).toBeDefined();

    await sleep(Math.max(0, downAt + 60_000 - Date.now()));
    const cleared = nextEvent<Alert>(
      ward,
      'alert:updated',
      (update) => update.id === failed.id && update.state === 'resolved',
      20_000,
    );
    await receiver.start();
    await cleared;
    expect(receiver.typesOf(alert.id).slice(0, 2)).toEqual(['alert.raised', 'alert.acknowledged']);
    await expectEverythingDelivered(vigil, receiver);
    expect(receiver.typesOf(failed.id)).toEqual(['alert.raised', 'alert.resolved']);
  }, 120_000);
});
