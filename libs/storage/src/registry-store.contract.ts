import type { Patient, ThresholdOverride } from '@vigil/contracts';
import {
  DuplicateRecordError,
  type AuditEntry,
  type RegistryStore,
  type StayOpening,
} from './registry-store.port';

export interface RegistryUnderTest {
  readonly store: RegistryStore;
  /** Closes what the store was opened on. */
  dispose(): Promise<void>;
}

const AT = '2026-12-02T08:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
const audit = (action: string, subject: string, minutes = 0): AuditEntry => ({
  at: later(minutes),
  actor: 'admin',
  action,
  subject,
});

function patient(id: string, changes: Partial<Patient> = {}): Patient {
  return {
    id,
    name: `Patient ${id}`,
    identifiers: [{ system: 'urn:mrn', value: `MRN-${id}`, type: 'MR' }],
    status: 'admitted',
    ward: 'ward-1',
    stayId: `stay-${id}`,
    admittedAt: AT,
    spo2Scale: 1,
    ...changes,
  };
}

const opening = (stayId: string, ward = 'ward-1', bed?: string, at = AT): StayOpening => ({
  stayId,
  at,
  location: { ward, ...(bed && { bed }) },
});

/**
 * The behaviour every RegistryStore adapter must show. Each adapter's spec calls this with a
 * factory for a fresh, empty store.
 */
export function describeRegistryStoreContract(
  adapterName: string,
  openStore: () => Promise<RegistryUnderTest>,
): void {
  describe(`RegistryStore contract: ${adapterName}`, () => {
    let store: RegistryStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await openStore());
    });
    afterEach(async () => {
      await dispose();
    });

    const admit = (id: string, changes: Partial<Patient> = {}) =>
      store.addPatient(
        patient(id, changes),
        opening(`stay-${id}`, changes.ward ?? 'ward-1', changes.bed),
        audit('patient.admitted', id),
      );

    it('keeps a patient as admitted, with her identifiers and first stay', async () => {
      await admit('p1', { birthDate: '1950-03-04', sex: 'female', bed: '4' });
      expect(await store.listPatients()).toEqual([
        patient('p1', { birthDate: '1950-03-04', sex: 'female', bed: '4' }),
      ]);
      expect(await store.listStays('p1')).toEqual([
        {
          id: 'stay-p1',
          patientId: 'p1',
          start: AT,
          locations: [{ ward: 'ward-1', bed: '4', from: AT }],
        },
      ]);
    });

    it('refuses a second patient with a taken id or identifier, keeping nothing of it', async () => {
      await admit('p1');
      await expect(admit('p1')).rejects.toEqual(new DuplicateRecordError('patient', 'p1'));
      const twin = patient('p2', { identifiers: patient('p1').identifiers });
      await expect(
        store.addPatient(twin, opening('stay-p2'), audit('patient.admitted', 'p2')),
      ).rejects.toBeInstanceOf(DuplicateRecordError);
      expect((await store.listPatients()).map((p) => p.id)).toEqual(['p1']);
      expect(await store.listAudit({ subject: 'p2', limit: 10 })).toEqual([]);
    });

    it('moves a patient and undoes the move as if it never was', async () => {
      await admit('p1', { bed: '1' });
      const moved = patient('p1', { ward: 'ward-2', bed: '7' });
      await store.movePatient(moved, audit('patient.transferred', 'p1', 10));
      expect((await store.listPatients())[0]).toMatchObject({ ward: 'ward-2', bed: '7' });
      expect((await store.listStays('p1'))[0].locations).toEqual([
        { ward: 'ward-1', bed: '1', from: AT, to: later(10) },
        { ward: 'ward-2', bed: '7', from: later(10) },
      ]);
      await store.undoLastMove(patient('p1', { bed: '1' }), audit('patient.move-undone', 'p1'));
      expect((await store.listPatients())[0]).toMatchObject({ ward: 'ward-1', bed: '1' });
      expect((await store.listStays('p1'))[0].locations).toEqual([
        { ward: 'ward-1', bed: '1', from: AT },
      ]);
    });

    it('ends a stay, opens it again, and readmits on a new stay, newest first', async () => {
      await admit('p1');
      const closing = { stayId: 'stay-p1', at: later(60), reason: 'discharged' as const };
      await store.endStay(
        patient('p1'),
        { ...closing, note: 'home' },
        audit('patient.discharged', 'p1'),
      );
      expect((await store.listPatients())[0]).toMatchObject({
        status: 'discharged',
        dischargedAt: later(60),
      });
      expect((await store.listStays('p1'))[0]).toMatchObject({
        end: later(60),
        endReason: 'discharged',
        dischargeNote: 'home',
        locations: [{ ward: 'ward-1', from: AT, to: later(60) }],
      });
      await store.reopenStay(patient('p1'), audit('patient.discharge-cancelled', 'p1'));
      const reopened = (await store.listPatients())[0];
      expect(reopened.status).toBe('admitted');
      expect(reopened.dischargedAt).toBeUndefined();
      expect((await store.listStays('p1'))[0]).toEqual({
        id: 'stay-p1',
        patientId: 'p1',
        start: AT,
        locations: [{ ward: 'ward-1', from: AT }],
      });
      await store.endStay(patient('p1'), closing, audit('patient.discharged', 'p1'));
      const back = patient('p1', { ward: 'ward-3', stayId: 'stay-2', admittedAt: later(120) });
      await store.readmitPatient(
        back,
        { ...opening('stay-2', 'ward-3', undefined, later(120)), visitNumber: 'V-2' },
        audit('patient.readmitted', 'p1'),
      );
      expect((await store.listPatients())[0]).toEqual(back);
      const stays = await store.listStays('p1');
      expect(stays.map((stay) => [stay.id, stay.visitNumber])).toEqual([
        ['stay-2', 'V-2'],
        ['stay-p1', undefined],
      ]);
    });

    it('replaces demographics and identifiers', async () => {
      await admit('p1');
      const renamed = patient('p1', {
        name: 'Ada Byron',
        identifiers: [{ system: 'urn:nhs', value: '943 476 5919' }],
        sex: 'female',
      });
      await store.updateDemographics(renamed, audit('patient.updated', 'p1'));
      expect(await store.listPatients()).toEqual([renamed]);
      // The identifier given up is free for another.
      await admit('p2', { identifiers: patient('p1').identifiers });
    });

    it('keeps devices, what they were bound to and when, and their secrets', async () => {
      await admit('p1');
      await admit('p2');
      await store.addDevice(
        { id: 'd1', patientId: 'p1', boundAt: AT, registeredAt: AT, secretHash: 'h1' },
        audit('device.registered', 'd1'),
      );
      await store.addDevice(
        { id: 'd2', patientId: null, boundAt: null, registeredAt: AT, secretHash: null },
        audit('device.registered', 'd2'),
      );
      await expect(
        store.addDevice(
          { id: 'd1', patientId: null, boundAt: null, registeredAt: AT, secretHash: null },
          audit('device.registered', 'd1'),
        ),
      ).rejects.toEqual(new DuplicateRecordError('device', 'd1'));
      await store.unbindDevice('d1', later(5), audit('device.unbound', 'd1'));
      await store.bindDevice('d1', 'p2', later(6), 'h2', audit('device.bound', 'd1'));
      await store.bindDevice('d2', 'p1', later(7), undefined, audit('device.bound', 'd2'));
      await store.setDeviceSecret('d2', null, audit('device.secret-revoked', 'd2'));
      expect(await store.listDevices()).toEqual([
        { id: 'd1', patientId: 'p2', boundAt: later(6), registeredAt: AT, secretHash: 'h2' },
        { id: 'd2', patientId: 'p1', boundAt: later(7), registeredAt: AT, secretHash: null },
      ]);
      expect(await store.listBindings({ deviceId: 'd1' })).toEqual([
        { deviceId: 'd1', patientId: 'p2', from: later(6), to: null },
        { deviceId: 'd1', patientId: 'p1', from: AT, to: later(5) },
      ]);
      const current = await store.listBindings({ endedAfter: later(6) });
      expect(current.map((b) => [b.deviceId, b.patientId])).toEqual([
        ['d2', 'p1'],
        ['d1', 'p2'],
      ]);
      expect(await store.listBindings({ endedAfter: later(4) })).toHaveLength(3);
    });

    it('keeps clinical settings: SpO2 scale and threshold overrides', async () => {
      await admit('p1');
      await store.setSpo2Scale('p1', 2, audit('patient.spo2-scale', 'p1'));
      expect((await store.listPatients())[0].spo2Scale).toBe(2);
      const overrides: ThresholdOverride[] = [
        { vital: 'heartRate', comparison: 'above', threshold: 120, priority: 'high' },
      ];
      await store.setThresholdOverrides('p1', overrides, audit('patient.thresholds', 'p1'));
      await store.setThresholdOverrides('p1', overrides, audit('patient.thresholds', 'p1'));
      expect(await store.listThresholdOverrides()).toEqual(new Map([['p1', overrides]]));
    });

    it('keeps trend settings overrides, replaced whole, with their audit', async () => {
      await admit('p1');
      await store.setTrendOverrides('p1', { level: 5 }, audit('patient.trend-parameters', 'p1'));
      await store.setTrendOverrides(
        'p1',
        { level: 6, sustainSeconds: 900 },
        audit('patient.trend-parameters', 'p1'),
      );
      expect(await store.listTrendOverrides()).toEqual(
        new Map([['p1', { level: 6, sustainSeconds: 900 }]]),
      );
      const trail = await store.listAudit({ subject: 'p1', limit: 10 });
      expect(trail.filter((e) => e.action === 'patient.trend-parameters')).toHaveLength(2);
    });

    it('records several actions at once, in the order given', async () => {
      await store.recordAudit(audit('patient.fhir-read', 'p1'), audit('patient.fhir-read', 'p2'));
      const all = await store.listAudit({ action: 'patient.fhir-read', limit: 10 });
      expect(all.map((entry) => entry.subject)).toEqual(['p1', 'p2']);
    });

    it('records every change with its audit entry, and pages and filters the trail', async () => {
      await admit('p1');
      await store.setSpo2Scale('p1', 2, {
        ...audit('patient.spo2-scale: COPD', 'p1'),
        oldValue: 1,
        newValue: { scale: 2 },
      });
      await store.recordAudit({ ...audit('user.login', 'nurse'), actor: 'nurse' });
      const all = await store.listAudit({ limit: 10 });
      expect(all.map((entry) => entry.action)).toEqual([
        'patient.admitted',
        'patient.spo2-scale: COPD',
        'user.login',
      ]);
      expect(all[1]).toMatchObject({ oldValue: 1, newValue: { scale: 2 }, actor: 'admin' });
      expect(all[0].oldValue).toBeUndefined();
      expect((await store.listAudit({ action: 'patient.spo2-scale', limit: 10 })).length).toBe(1);
      expect((await store.listAudit({ actor: 'nurse', limit: 10 })).length).toBe(1);
      expect((await store.listAudit({ subject: 'p1', limit: 10 })).length).toBe(2);
      const [first] = await store.listAudit({ limit: 1 });
      expect(first.action).toBe('patient.admitted');
      const next = await store.listAudit({ after: first.id, limit: 1 });
      expect(next.map((entry) => entry.action)).toEqual(['patient.spo2-scale: COPD']);
    });
  });
}
