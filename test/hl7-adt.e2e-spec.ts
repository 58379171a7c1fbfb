// Proves the HL7 v2 ADT listener against a peer nobody here wrote: Debian's python3-hl7
// `mllp_send`. Admissions, transfers and discharges sent over MLLP change Vigil as the HTTP
// routes do and are ACKed (AA); a resent message changes nothing twice; malformed, unsupported
// or inapplicable messages get AR or AE with the reason and change nothing.
import type { Patient, Stay } from '@vigil/contracts';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Hl7ListenerService } from '../apps/server/src/hl7/hl7-listener.service';
import {
  connectConsole,
  nextEvent,
  openConsole,
  signInAs,
  startVigil,
  type VigilHarness,
} from './support/vigil-harness';

const MLLP_SEND = '/usr/bin/mllp_send';
const run = promisify(execFile);
const folder = mkdtempSync(join(tmpdir(), 'vigil-hl7-'));
let sent = 0;

/** Sends messages with mllp_send, one connection, and answers each ACK's segments. */
async function mllpSend(port: number, ...messages: string[]): Promise<string[][]> {
  const file = join(folder, `batch-${++sent}.hl7`);
  writeFileSync(file, messages.map((m) => `\x0b${m.replaceAll('\n', '\r')}\x1c\r`).join(''));
  const { stdout } = await run(MLLP_SEND, ['--port', String(port), '--file', file, '127.0.0.1']);
  return stdout
    .split('\x1c')
    .map((ack) => ack.replaceAll('\x0b', '').replaceAll('\n', '').trim())
    .filter((ack) => ack.startsWith('MSH'))
    .map((ack) => ack.split('\r'));
}

const msa = (ack: string[]) => ack.find((segment) => segment.startsWith('MSA|'))?.split('|') ?? [];
const err = (ack: string[]) => ack.find((segment) => segment.startsWith('ERR|'))?.split('|') ?? [];

/** An ADT message from the hospital PAS; `pid` and `pv1` are the segments' fields after the name. */
function adt(trigger: string, controlId: string, pid: string, pv1 = ''): string {
  return [
    `MSH|^~\\&|PAS|GENHOSP|VIGIL|WARDS|20261202101500||ADT^${trigger}^ADT_A01|${controlId}|P|2.5`,
    `EVN|${trigger}|20261202101500`,
    `PID|1||${pid}`,
    ...(pv1 ? [`PV1|1|I|${pv1}`] : []),
  ].join('\r');
}

const jane = 'MRN1001^^^GENHOSP^MR~NHS123^^^NHS^NH||Doe^Jane^Q||19480309|F';
/** PV1-3 ward^room^bed, then PV1-4..18 empty, then PV1-19 the visit number. */
const atWard = (ward: string, bed: string, visit: string) =>
  `${ward}^R1^${bed}${'|'.repeat(16)}${visit}`;

describe('HL7 v2 ADT over MLLP, sent by python3-hl7 mllp_send', () => {
  let vigil: VigilHarness;
  let port: number;
  let nurse1: string;
  const getJson = async <T>(path: string): Promise<T> =>
    (await (await vigil.fetch(path)).json()) as T;
  const patientCount = async () => (await getJson<Patient[]>('/api/patients?status=all')).length;

  beforeAll(async () => {
    vigil = await startVigil({ HL7_PORT: '0' });
    port = vigil.app.get(Hl7ListenerService).port;
    nurse1 = await signInAs(vigil, { username: 'hl7-nurse', role: 'nurse', wards: ['ward-1'] });
  });

  afterAll(async () => {
    await vigil?.stop({ removeData: true });
    rmSync(folder, { recursive: true, force: true });
  });

  it('admits on A01 with MRN, name, birth date, sex, bed and visit number, and ACKs AA', async () => {
    const ward1 = await connectConsole(vigil, openConsole(vigil, nurse1));
    const arrived = nextEvent<{ patient: Patient }>(ward1, 'patient:updated');
    const [ack] = await mllpSend(
      port,
      adt('A01', 'MSG-A01-1', jane, atWard('ward-1', 'B4', 'V9001')),
    );
    expect(msa(ack).slice(0, 3)).toEqual(['MSA', 'AA', 'MSG-A01-1']);
    expect(ack[0]).toMatch(/^MSH\|\^~\\&\|VIGIL\|WARDS\|PAS\|GENHOSP\|/);
    const patient = await getJson<Patient>('/api/patients/MRN1001');
    expect(patient).toMatchObject({
      name: 'Jane Q Doe',
      birthDate: '1948-03-09',
      sex: 'female',
      ward: 'ward-1',
      bed: 'R1/B4',
      status: 'admitted',
      identifiers: [
        { system: 'GENHOSP', value: 'MRN1001', type: 'MR' },
        { system: 'NHS', value: 'NHS123', type: 'NH' },
      ],
    });
    expect((await arrived).patient.id).toBe('MRN1001');
    ward1.close();
    const [stay] = await getJson<Stay[]>('/api/patients/MRN1001/stays');
    expect(stay.visitNumber).toBe('V9001');
    const audit = await getJson<{ actor: string }[]>(
      '/api/audit?subject=MRN1001&action=patient.admitted',
    );
    expect(audit.map((entry) => entry.actor)).toEqual(['hl7:PAS@GENHOSP']);
  });

  it('transfers on A02, cancels it on A12, and updates demographics on A08', async () => {
    const ward1 = await connectConsole(vigil, openConsole(vigil, nurse1));
    const left = nextEvent<{ patientId: string }>(ward1, 'patient:left');
    const acks = await mllpSend(
      port,
      adt('A02', 'MSG-A02-1', jane, atWard('ward-2', 'B1', 'V9001')),
    );
    expect(msa(acks[0])[1]).toBe('AA');
    expect(await left).toMatchObject({ patientId: 'MRN1001' });
    expect(await getJson<Patient>('/api/patients/MRN1001')).toMatchObject({ ward: 'ward-2' });
    expect((await vigil.fetch('/api/patients/MRN1001', {}, nurse1)).status).toBe(403);
    ward1.close();

    const [cancelled, updated] = await mllpSend(
      port,
      adt('A12', 'MSG-A12-1', jane, atWard('ward-2', 'B1', 'V9001')),
      adt('A08', 'MSG-A08-1', 'MRN1001^^^GENHOSP^MR||Doe^Janet^Q||19480309|F'),
    );
    expect([msa(cancelled)[1], msa(updated)[1]]).toEqual(['AA', 'AA']);
    expect(await getJson<Patient>('/api/patients/MRN1001')).toMatchObject({
      ward: 'ward-1',
      bed: 'R1/B4',
      name: 'Janet Q Doe',
    });
  });

  it('discharges on A03; a resent A03 is answered as before and changes nothing', async () => {
    const first = await mllpSend(port, adt('A03', 'MSG-A03-1', jane));
    expect(msa(first[0])[1]).toBe('AA');
    expect(await getJson<Patient>('/api/patients/MRN1001')).toMatchObject({ status: 'discharged' });
    const auditBefore = await getJson<unknown[]>('/api/audit?subject=MRN1001');

    const again = await mllpSend(
      port,
      adt('A03', 'MSG-A03-1', jane),
      adt('A01', 'MSG-A01-1', jane, atWard('ward-1', 'B4', 'V9001')),
    );
    expect(again).toEqual([first[0], expect.any(Array)]);
    expect(msa(again[1]).slice(0, 3)).toEqual(['MSA', 'AA', 'MSG-A01-1']);
    expect(await getJson<Patient>('/api/patients/MRN1001')).toMatchObject({ status: 'discharged' });
    expect(await getJson<unknown[]>('/api/audit?subject=MRN1001')).toEqual(auditBefore);
  });

  it('cancels a discharge on A13, and readmits on a new A01 with a new stay', async () => {
    const [reopened] = await mllpSend(port, adt('A13', 'MSG-A13-1', jane));
    expect(msa(reopened)[1]).toBe('AA');
    expect(await getJson<Patient>('/api/patients/MRN1001')).toMatchObject({ status: 'admitted' });
    const [discharged, readmitted] = await mllpSend(
      port,
      adt('A03', 'MSG-A03-2', jane),
      adt('A01', 'MSG-A01-2', jane, atWard('ward-3', 'B2', 'V9002')),
    );
    expect([msa(discharged)[1], msa(readmitted)[1]]).toEqual(['AA', 'AA']);
    const stays = await getJson<Stay[]>('/api/patients/MRN1001/stays');
    expect(stays.map((stay) => [stay.visitNumber, stay.endReason ?? 'open'])).toEqual([
      ['V9002', 'open'],
      ['V9001', 'discharged'],
    ]);
  });

  it('cancels an admission on A11', async () => {
    const john = 'MRN2002^^^GENHOSP^MR||Roe^John||19700101|M';
    const [admitted, cancelled] = await mllpSend(
      port,
      adt('A04', 'MSG-A04-1', john, atWard('ward-1', 'B9', 'V9100')),
      adt('A11', 'MSG-A11-1', john),
    );
    expect([msa(admitted)[1], msa(cancelled)[1]]).toEqual(['AA', 'AA']);
    const [stay] = await getJson<Stay[]>('/api/patients/MRN2002/stays');
    expect(stay.endReason).toBe('admission-cancelled');
  });

  it('answers AR or AE with the reason to malformed, unsupported and inapplicable messages, and changes nothing', async () => {
    const before = await patientCount();
    const acks = await mllpSend(
      port,
      'this is not HL7 at all',
      adt('A01', 'MSG-BAD-1', '||Nobody^Noname||19800101|F', atWard('ward-1', 'B1', 'V1')),
      adt(
        'A01',
        'MSG-BAD-2',
        'MRN3003^^^GENHOSP^MR||Doe^Jim||19801340|M',
        atWard('ward-1', 'B1', 'V1'),
      ),
      adt('A02', 'MSG-BAD-3', 'MRN-UNKNOWN^^^GENHOSP^MR||X^Y', atWard('ward-2', 'B1', 'V1')),
      adt('A01', 'MSG-BAD-4', 'MRN3004^^^GENHOSP^MR||Doe^Jo', '<script>^R^B'),
      adt('A40', 'MSG-BAD-5', jane),
      'MSH|^~\\&|LAB|GENHOSP|VIGIL|WARDS|20261202||ORU^R01|MSG-BAD-6|P|2.5\rPID|1||MRN1001',
    );
    expect(acks).toHaveLength(7);
    const summary = acks.map((ack) => [msa(ack)[1], err(ack)[3]?.split('^')[0]]);
    expect(summary).toEqual([
      ['AR', '207'],
      ['AE', '101'],
      ['AE', '102'],
      ['AE', '204'],
      ['AE', '102'],
      ['AR', '201'],
      ['AR', '200'],
    ]);
    expect(msa(acks[1])[3]).toMatch(/PID-3/);
    expect(msa(acks[3])[3]).toMatch(/no patient with identifier MRN-UNKNOWN/);
    expect(await patientCount()).toBe(before);
  });

  it('keeps a connection open after an oversized or unframed stream only long enough to drop it', async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET / HTTP/1.1\r\n\r\n');
    await closed;
    const [ack] = await mllpSend(port, adt('A08', 'MSG-A08-2', 'MRN2002^^^GENHOSP^MR||Roe^Johnny'));
    expect(msa(ack)[1]).toBe('AA');
  });
});

describe('HL7 listener address allow-list', () => {
  it('drops a connection from an address not allowed, before reading anything', async () => {
    const vigil = await startVigil({ HL7_PORT: '0', HL7_ALLOWED_ADDRESSES: '10.9.9.9' });
    try {
      const port = vigil.app.get(Hl7ListenerService).port;
      await expect(
        mllpSend(port, adt('A01', 'X-1', jane, atWard('ward-1', 'B1', 'V1'))),
      ).rejects.toThrow();
      expect(((await (await vigil.fetch('/api/patients')).json()) as unknown[]).length).toBe(0);
    } finally {
      await vigil.stop({ removeData: true });
    }
  });
});
