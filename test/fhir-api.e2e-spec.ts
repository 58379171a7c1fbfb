// Proves the FHIR R4 read API over real HTTP after a simulated septic patient streams over real
// MQTT: the Observation search returns exactly the stored samples, in order, paged by its next
// link, each valid against the official vital-signs profiles; NEWS2 only where complete; nurses'
// sets with their performer and retractions; $lastn; Patient, Device and Encounter; API clients
// with a secret and with a signed assertion, held to their scopes; nurses held to their wards;
// errors as OperationOutcomes; every read audited.
import type {
  Bundle,
  CapabilityStatement,
  Observation,
  OperationOutcome,
  Resource,
} from '@medplum/fhirtypes';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import type { MqttClient } from 'mqtt';
import { frameAt, admitSimulatedPatient } from '../device-simulator/src/patient-scenarios';
import { SeededRandom } from '../device-simulator/src/random';
import { profileProblems } from './support/fhir-profiles';
import { connectDevice, signInAs, startVigil, type VigilHarness } from './support/vigil-harness';

const SAMPLES = 120;
/** The first half carries no level of consciousness, as a wrist wearable's: NEWS2 is incomplete. */
const WITHOUT_ACVPU = 60;
const HEART_RATE = 'http://loinc.org|8867-4';

describe('the FHIR R4 API', () => {
  let vigil: VigilHarness;
  let nurse: string;
  let otherWardNurse: string;
  let wearable: MqttClient;
  const base = Date.now() - 30 * 60_000 - ((Date.now() - 30 * 60_000) % 1000);
  const sent: { ts: number; heartRate: number }[] = [];

  const fhir = async (path: string, token = nurse) => {
    const response = await vigil.fetch(`/fhir/${path}`, {}, token);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as Resource,
    };
  };
  const bundle = async (path: string, token = nurse) => {
    const answer = await fhir(path, token);
    if (answer.status !== 200)
      throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as Bundle;
  };
  const resources = <T extends Resource>(b: Bundle) =>
    (b.entry ?? []).map((entry) => entry.resource as T);
  const nextOf = (b: Bundle) => b.link?.find((link) => link.relation === 'next')?.url;
  const iso = (ts: number) => new Date(ts).toISOString();

  beforeAll(async () => {
    vigil = await startVigil();
    nurse = await signInAs(vigil, { username: 'nurse-fhir', role: 'nurse', wards: ['ward-1'] });
    otherWardNurse = await signInAs(vigil, {
      username: 'nurse-far',
      role: 'nurse',
      wards: ['ward-2'],
    });
    const admitted = await vigil.post('/api/patients', {
      id: 'p_fhir',
      name: 'Sara Sepsis',
      ward: 'ward-1',
      birthDate: '1950-04-01',
      sex: 'female',
      identifiers: [{ system: 'urn:oid:2.16.840.1.113883.2.1.4.1', value: 'MRN-4711', type: 'MR' }],
    });
    const bound = await vigil.post('/api/devices', {
      id: 'wear-fhir',
      patientId: 'p_fhir',
      since: iso(base - 60_000),
    });
    expect([admitted.status, bound.status]).toEqual([201, 201]);
    vigil.secrets.set('wear-fhir', (bound.body as { secret: string }).secret);
    wearable = await connectDevice(vigil, 'wear-fhir');
    const random = new SeededRandom(18);
    const patient = admitSimulatedPatient('sepsis', random);
    const samples = Array.from({ length: SAMPLES }, (_, index) => {
      const frame = frameAt(patient, 3 * 3600 * 0.5 + index, random);
      const ts = base + index * 1000;
      sent.push({ ts, heartRate: frame.vitals.heartRate as number });
      return {
        ts,
        seq: index + 1,
        vitals: {
          ...frame.vitals,
          onOxygen: frame.onOxygen,
          ...(index >= WITHOUT_ACVPU && { consciousness: frame.consciousness }),
        },
      };
    });
    for (let start = 0; start < SAMPLES; start += 20)
      await wearable.publishAsync(
        'devices/wear-fhir/vitals',
        JSON.stringify({ samples: samples.slice(start, start + 20) }),
        { qos: 1 },
      );
  });

  afterAll(async () => {
    await wearable?.endAsync();
    await vigil?.stop({ removeData: true });
  });

  it('states what it serves in a CapabilityStatement, as FHIR JSON, without signing in', async () => {
    const response = await fetch(`${vigil.httpUrl}/fhir/metadata`);
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
    const statement = (await response.json()) as CapabilityStatement;
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.rest?.[0].resource?.map((resource) => resource.type)).toEqual([
      'Patient',
      'Device',
      'Encounter',
      'Observation',
    ]);
    expect(profileProblems(statement)).toEqual([]);
  });

  it('finds exactly the stored heart rates of a date window, in order, paged by next links', async () => {
    const from = base + 10_000;
    const to = base + 90_000;
    const query =
      `Observation?patient=${encodeURIComponent(await patientFhirId())}` +
      `&code=${encodeURIComponent(HEART_RATE)}&date=ge${iso(from)}&date=lt${iso(to)}&_count=30`;
    const pages: Bundle[] = [await bundle(query)];
    for (let next = nextOf(pages[0]); next; next = nextOf(pages[pages.length - 1]))
      pages.push(await bundle(next.slice(next.indexOf('/fhir/') + 6)));
    expect(pages.map((page) => page.entry?.length)).toEqual([30, 30, 20]);
    expect(pages[0].total).toBeUndefined();
    const found = pages.flatMap((page) => resources<Observation>(page));
    const expected = sent.filter((sample) => sample.ts >= from && sample.ts < to);
    expect(found.map((o) => [o.effectiveDateTime, o.valueQuantity?.value])).toEqual(
      expected.map((sample) => [iso(sample.ts), sample.heartRate]),
    );
    for (const observation of found) expect(profileProblems(observation)).toEqual([]);
    expect(found[0]).toMatchObject({
      status: 'final',
      subject: { reference: `Patient/${await patientFhirId()}` },
      device: { reference: 'Device/wear-fhir' },
      valueQuantity: { system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const again = await bundle(query);
    expect(resources(again).map((o) => o.id)).toEqual(found.slice(0, 30).map((o) => o.id));
    const newestFirst = await bundle(query.replace('_count=30', '_count=5&_sort=-date'));
    expect(resources<Observation>(newestFirst).map((o) => o.valueQuantity?.value)).toEqual(
      expected
        .slice(-5)
        .reverse()
        .map((sample) => sample.heartRate),
    );
  });

  it('charts every vital sign of the stream valid against its profile, and gives total when cheap', async () => {
    const id = encodeURIComponent(await patientFhirId());
    const window = `&date=ge${iso(base + 100_000)}&date=lt${iso(base + 102_000)}`;
    const all = await bundle(`Observation?patient=${id}&category=vital-signs${window}`);
    // Two samples: heart rate, respiratory rate, SpO2, temperature, the BP panel and the vitals panel.
    expect(all.total).toBe(12);
    for (const observation of resources<Observation>(all))
      expect(profileProblems(observation)).toEqual([]);
    expect(resources<Observation>(all).map((o) => o.meta?.profile?.[1]?.split('/').pop())).toEqual(
      [1, 2].flatMap(() => ['heartrate', 'resprate', 'oxygensat', 'bodytemp', 'bp', 'vitalspanel']),
    );
  });

  it('charts NEWS2 only for samples that complete it, derived from Observations that resolve', async () => {
    const id = encodeURIComponent(await patientFhirId());
    const news2 = resources<Observation>(
      await bundle(
        `Observation?patient=${id}&code=${encodeURIComponent('http://snomed.info/sct|1104051000000101')}&_count=500`,
      ),
    );
    expect(news2).toHaveLength(SAMPLES - WITHOUT_ACVPU);
    expect(news2[0].effectiveDateTime).toBe(iso(base + WITHOUT_ACVPU * 1000));
    expect(news2[0].component).toHaveLength(7);
    const inputs = news2[0].derivedFrom ?? [];
    expect(inputs).toHaveLength(7);
    for (const input of inputs) {
      const read = await fhir(input.reference as string);
      expect([input.reference, read.status]).toEqual([input.reference, 200]);
    }
    const subscores = news2[0].component?.reduce((sum, c) => sum + (c.valueInteger ?? 0), 0);
    expect(news2[0].valueInteger).toBe(subscores);
  });

  it("charts a nurse's set with its performer, and marks a retracted one entered-in-error", async () => {
    const taken = Date.now() - 60_000;
    const kept = await vigil.post(
      '/api/patients/p_fhir/observations',
      { effectiveAt: taken, vitals: { respRate: 22, spo2: 94 } },
      nurse,
    );
    const wrong = await vigil.post(
      '/api/patients/p_fhir/observations',
      { effectiveAt: taken + 1000, vitals: { respRate: 40 } },
      nurse,
    );
    expect([kept.status, wrong.status]).toEqual([201, 201]);
    const retracted = await vigil.post(
      `/api/patients/p_fhir/observations/${(wrong.body as { id: string }).id}/entered-in-error`,
      { reason: 'wrong patient' },
      nurse,
    );
    expect(retracted.status).toBeLessThan(300);
    const id = encodeURIComponent(await patientFhirId());
    const rates = resources<Observation>(
      await bundle(
        `Observation?patient=${id}&code=${encodeURIComponent('http://loinc.org|9279-1')}&date=ge${iso(taken)}`,
      ),
    );
    expect(rates.map((o) => [o.valueQuantity?.value, o.status, o.performer])).toEqual([
      [22, 'final', [{ display: 'nurse-fhir' }]],
      [40, 'entered-in-error', [{ display: 'nurse-fhir' }]],
    ]);
    for (const observation of rates) expect(profileProblems(observation)).toEqual([]);
  });

  it('answers the latest of each code with $lastn', async () => {
    const id = encodeURIComponent(await patientFhirId());
    const latest = resources<Observation>(
      await bundle(`Observation/$lastn?patient=${id}&category=vital-signs`),
    );
    const heartRates = latest.filter((o) => o.code.coding?.[0].code === '8867-4');
    expect(heartRates.map((o) => o.valueQuantity?.value)).toEqual([sent[SAMPLES - 1].heartRate]);
    // The nurse's set is newer than the stream: her respiratory rate is the latest.
    expect(latest.find((o) => o.code.coding?.[0].code === '9279-1')?.valueQuantity?.value).toBe(22);
  });

  it('finds the patient by MRN and name, her wearable and her stay', async () => {
    const byMrn = resources(
      await bundle(
        `Patient?identifier=${encodeURIComponent('urn:oid:2.16.840.1.113883.2.1.4.1|MRN-4711')}`,
      ),
    );
    expect(byMrn).toHaveLength(1);
    expect(byMrn[0]).toMatchObject({
      gender: 'female',
      birthDate: '1950-04-01',
      name: [{ text: 'Sara Sepsis' }],
    });
    expect(resources(await bundle('Patient?name=seps')).map((p) => p.id)).toEqual([byMrn[0].id]);
    const id = encodeURIComponent(byMrn[0].id as string);
    expect(resources(await bundle(`Device?patient=${id}`)).map((d) => d.id)).toEqual(['wear-fhir']);
    const stays = resources(await bundle(`Encounter?patient=${id}&status=in-progress`));
    expect(stays).toHaveLength(1);
    const read = await fhir(`Encounter/${stays[0].id}`);
    expect(read.status).toBe(200);
    for (const resource of [byMrn[0], stays[0], read.body])
      expect(profileProblems(resource)).toEqual([]);
  });

  it('keeps a nurse of another ward out with a 403 OperationOutcome', async () => {
    const id = encodeURIComponent(await patientFhirId());
    const refused = await fhir(`Observation?patient=${id}`, otherWardNurse);
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/^application\/fhir\+json/);
    expect(refused.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'forbidden', details: { coding: [{ code: 'AUTH.WARD' }] } },
      ],
    });
    expect(resources(await bundle('Patient?name=seps', otherWardNurse))).toEqual([]);
  });

  it('answers bad searches 400 and unknown resources 404, as OperationOutcomes', async () => {
    const id = encodeURIComponent(await patientFhirId());
    for (const query of [
      `Observation?patient=${id}&date=xx2026-12-01`,
      `Observation?patient=${id}&date=ge2026-13-01`,
      `Observation?patient=${id}&colour=red`,
      'Observation?code=8867-4',
      `Observation?patient=${id}&_cursor=bm90IG91cnM`,
      `Observation/$lastn?patient=${id}&max=11`,
      'Patient?name[first]=Sara',
    ]) {
      const answer = await fhir(query);
      expect([query, answer.status, answer.body.resourceType]).toEqual([
        query,
        400,
        'OperationOutcome',
      ]);
    }
    expect((await fhir('Observation/hr.000000000000.0.000000000000')).status).toBe(404);
    expect((await fhir('Patient/nobody')).status).toBe(404);
    const unknownType = await fhir('Medication/1');
    expect([unknownType.status, unknownType.body.resourceType]).toEqual([404, 'OperationOutcome']);
    const unsigned = await fetch(`${vigil.httpUrl}/fhir/Patient`);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as OperationOutcome).issue[0].code).toBe('login');
  });

  describe('API clients', () => {
    const tokenEndpoint = () => `${vigil.httpUrl}/oauth2/token`;
    const requestToken = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(tokenEndpoint(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
      });

    it('gives a client with a secret a token for its scopes only, and audits its reads', async () => {
      const registered = await vigil.post('/api/api-clients', {
        name: 'Demographics feed',
        scopes: ['system/Patient.rs'],
      });
      expect(registered.status).toBe(201);
      const { client, clientSecret } = registered.body as {
        client: { clientId: string };
        clientSecret: string;
      };
      const basic = Buffer.from(`${client.clientId}:${clientSecret}`).toString('base64');
      const issued = await requestToken(
        { grant_type: 'client_credentials' },
        { authorization: `Basic ${basic}` },
      );
      expect(issued.status).toBe(200);
      const token = (await issued.json()) as {
        access_token: string;
        scope: string;
        expires_in: number;
      };
      expect(token).toMatchObject({ scope: 'system/Patient.rs', expires_in: 300 });
      const patients = await fhir('Patient?identifier=MRN-4711', token.access_token);
      expect(patients.status).toBe(200);
      const refused = await fhir(
        `Observation?patient=${encodeURIComponent(await patientFhirId())}`,
        token.access_token,
      );
      expect(refused.status).toBe(403);
      expect((refused.body as OperationOutcome).issue[0]).toMatchObject({
        code: 'forbidden',
        details: { coding: [{ code: 'AUTH.SCOPE' }] },
      });
      const audit = (await (
        await vigil.fetch(`/api/audit?actor=${encodeURIComponent(`client:${client.clientId}`)}`)
      ).json()) as { items?: unknown[] } | unknown[];
      expect(JSON.stringify(audit)).toContain('patient.fhir-read');
      const wrongSecret = await requestToken({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: 'guess',
      });
      expect([wrongSecret.status, ((await wrongSecret.json()) as { error: string }).error]).toEqual(
        [401, 'invalid_client'],
      );
      const disabled = await vigil.fetch(`/api/api-clients/${client.clientId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ disabled: true }),
      });
      expect(disabled.status).toBe(200);
      expect((await fhir('Patient?identifier=MRN-4711', token.access_token)).status).toBe(401);
    });

    it('gives a client with a key a token for a signed assertion, once per assertion', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'analytics-1' };
      const registered = await vigil.post('/api/api-clients', {
        name: 'Analytics',
        scopes: ['system/Observation.rs', 'system/Patient.rs'],
        publicKeys: [jwk],
      });
      expect(registered.status).toBe(201);
      const { client, clientSecret } = registered.body as {
        client: { clientId: string };
        clientSecret?: string;
      };
      expect(clientSecret).toBeUndefined();
      const assertion = sign({ jti: randomUUID() }, privateKey, {
        algorithm: 'ES384',
        keyid: 'analytics-1',
        issuer: client.clientId,
        subject: client.clientId,
        audience: tokenEndpoint(),
        expiresIn: 240,
      });
      const form = {
        grant_type: 'client_credentials',
        scope: 'system/Observation.rs',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      };
      const issued = await requestToken(form);
      expect(issued.status).toBe(200);
      const token = (await issued.json()) as { access_token: string; scope: string };
      expect(token.scope).toBe('system/Observation.rs');
      const id = encodeURIComponent(await patientFhirId());
      const found = await fhir(
        `Observation?patient=${id}&code=${encodeURIComponent(HEART_RATE)}&_count=3`,
        token.access_token,
      );
      expect([found.status, (found.body as Bundle).entry?.length]).toEqual([200, 3]);
      expect((await requestToken(form)).status).toBe(401);
      const badKey = await vigil.post('/api/api-clients', {
        name: 'x',
        scopes: ['system/Patient.rs'],
        publicKeys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'k' }],
      });
      expect([badKey.status, (badKey.body as { code: string }).code]).toEqual([
        400,
        'API_CLIENT.INVALID',
      ]);
    });

    it('advertises its token endpoint to SMART Backend Services clients', async () => {
      const smart = (await (
        await fetch(`${vigil.httpUrl}/fhir/.well-known/smart-configuration`)
      ).json()) as Record<string, unknown>;
      expect(smart).toMatchObject({
        token_endpoint: tokenEndpoint(),
        grant_types_supported: ['client_credentials'],
      });
    });
  });

  async function patientFhirId(): Promise<string> {
    const found = await bundle(`Patient?identifier=MRN-4711`);
    return resources(found)[0].id as string;
  }
});
