// Proves, with real MQTT clients and a real console, that technical alarms follow their cause:
// one wearable lost alone raises its own alarm; fifty lost at once (an access point failing)
// raise one alarm for their ward, naming how many patients, cleared when they are back; and a
// patient on standby raises no alarm of lost data until the standby ends.
import type { Alert } from '@vigil/contracts';
import type { MqttClient } from 'mqtt';
import type { Socket } from 'socket.io-client';
import {
  admitPatientWithDevice,
  connectConsole,
  connectDevice,
  nextEvent,
  recordEvents,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The connection dropped under the device, as when its access point fails: no DISCONNECT. */
const cut = (device: MqttClient) => device.stream.destroy();

describe('technical alarms: one alarm for one cause', () => {
  let vigil: VigilHarness;
  let ward: Socket;
  const devices: MqttClient[] = [];

  beforeAll(async () => {
    vigil = await startVigil({
      LOST_DEVICE_GROUPING_SECONDS: '2',
      WARD_OUTAGE_PATIENTS: '5',
      NO_DATA_TIMEOUT_SECONDS: '600',
    });
    ward = await connectConsole(vigil);
  });

  afterAll(async () => {
    ward?.close();
    await Promise.all(devices.map((device) => device.endAsync(true)));
    await vigil?.stop({ removeData: true });
  });

  async function wearing(patientId: string, wardName: string): Promise<MqttClient> {
    const deviceId = `wear-${patientId}`;
    await admitPatientWithDevice(
      vigil,
      { id: patientId, name: `Patient ${patientId}`, ward: wardName },
      deviceId,
    );
    const device = await connectDevice(vigil, deviceId);
    devices.push(device);
    return device;
  }

  it('raises its own alarm for a wearable lost alone, after the grouping window', async () => {
    const device = await wearing('alone', 'ward-2');
    const offline = nextEvent<Alert>(
      ward,
      'alert:raised',
      (alert) => alert.patientId === 'alone' && alert.rule === 'device.offline',
    );
    const lostAt = Date.now();
    cut(device);
    await offline;
    const waited = Date.now() - lostAt;
    expect(waited).toBeGreaterThanOrEqual(1_900);
    expect(waited).toBeLessThan(3_500);
  });

  it('raises one ward alarm, naming fifty patients, when fifty wearables are lost at once', async () => {
    const fifty = await Promise.all(
      Array.from({ length: 50 }, (_, index) => wearing(`ap-${index}`, 'ward-3')),
    );
    const raised = recordEvents<Alert>(ward, 'alert:raised');
    const wardAlarm = nextEvent<Alert>(
      ward,
      'alert:raised',
      (alert) => alert.rule === 'ward.connection-lost',
    );
    for (const device of fifty) cut(device);
    const alarm = await wardAlarm;
    expect(alarm).toMatchObject({
      ward: 'ward-3',
      patientId: '',
      value: 50,
      category: 'technical',
    });
    expect(alarm.message).toMatch(/devices of 50 patients at once/);
    // Well past the grouping window: still nobody's own alarm.
    await sleep(3_500);
    raised.stop();
    expect(raised.events.map((alert) => alert.rule)).toEqual(['ward.connection-lost']);

    const listed = (await (
      await vigil.fetch('/api/alerts?ward=ward-3&state=open')
    ).json()) as Alert[];
    expect(listed.map((alert) => alert.rule)).toEqual(['ward.connection-lost']);

    const cleared = nextEvent<Alert>(
      ward,
      'alert:updated',
      (alert) => alert.id === alarm.id && alert.state === 'resolved',
      10_000,
    );
    const back = await Promise.all(
      Array.from({ length: 50 }, (_, index) => connectDevice(vigil, `wear-ap-${index}`)),
    );
    devices.push(...back);
    await cleared;
  });

  it('raises no alarm of lost data for a patient on standby, and raises it when standby ends while still lost', async () => {
    const device = await wearing('imaging', 'ward-4');
    const until = new Date(Date.now() + 30 * 60_000).toISOString();
    const standby = await vigil.post(
      '/api/patients/imaging/standby',
      { until, reason: 'CT scan' },
      vigil.nurseToken,
    );
    expect(standby).toMatchObject({ status: 200, body: { until, reason: 'CT scan' } });
    const summary = (await (await vigil.fetch('/api/patients/imaging')).json()) as {
      standby?: { until: string };
    };
    expect(summary.standby?.until).toBe(until);

    const raised = recordEvents<Alert>(ward, 'alert:raised');
    cut(device);
    await sleep(3_500);
    raised.stop();
    expect(raised.events.filter((alert) => alert.patientId === 'imaging')).toEqual([]);

    const offline = nextEvent<Alert>(
      ward,
      'alert:raised',
      (alert) => alert.patientId === 'imaging' && alert.rule === 'device.offline',
    );
    const ended = await vigil.fetch(
      '/api/patients/imaging/standby',
      { method: 'DELETE' },
      vigil.nurseToken,
    );
    expect(ended.status).toBe(204);
    await offline;
  });

  it('refuses a standby in the past or more than twelve hours ahead', async () => {
    await wearing('too-long', 'ward-4');
    for (const until of [
      new Date(Date.now() - 60_000).toISOString(),
      new Date(Date.now() + 13 * 3_600_000).toISOString(),
    ]) {
      const refused = await vigil.post(
        '/api/patients/too-long/standby',
        { until, reason: 'x' },
        vigil.nurseToken,
      );
      expect(refused).toMatchObject({ status: 400, body: { code: 'STANDBY.UNTIL' } });
    }
  });
});
