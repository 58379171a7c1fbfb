// Proves the line protocol Vigil writes: the schema docs/influxdb.md documents.
import { alertEventLine, sampleLine } from './influx-lines';

describe('InfluxDB lines', () => {
  it('writes a sample as one point tagged by patient, device and ward with a field per vital', () => {
    const line = sampleLine({
      patientId: 'p-1',
      deviceId: 'wear 1',
      ward: 'ward-3',
      ts: 1_764_316_800_123,
      seq: 42,
      vitals: { heartRate: 88, spo2: 97 },
      consciousness: 'A',
      onOxygen: false,
      battery: 80,
    });
    expect(line).toBe(
      'vitals,device=wear\\ 1,patient=p-1,ward=ward-3 ' +
        'battery=80,consciousness="A",heartRate=88,onOxygen=F,seq=42i,spo2=97 1764316800123',
    );
  });

  it('writes an alert event with the whole alert in its body', () => {
    const line = alertEventLine({
      kind: 'raised',
      at: '2025-11-28T08:00:00.000Z',
      alert: {
        id: 'a-1',
        patientId: 'p-1',
        deviceId: 'd-1',
        rule: 'spo2.below',
        vital: 'spo2',
        value: 88,
        threshold: 92,
        priority: 'high',
        state: 'active',
        raisedAt: '2025-11-28T08:00:00.000Z',
        ts: '2025-11-28T07:59:59.000Z',
        lastValue: 88,
        worstValue: 88,
        category: 'physiological',
        escalationLevel: 0,
        count: 1,
        updatedAt: '2025-11-28T08:00:00.000Z',
      },
    });
    expect(line).toMatch(
      /^alert_events,alert_id=a-1,patient=p-1 body=".*",kind="raised",priority="high",rule="spo2.below",state="active" 1764316800000$/,
    );
    expect(line).toContain('\\"threshold\\":92');
  });
});
