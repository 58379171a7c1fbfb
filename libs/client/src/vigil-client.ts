import type { NewUser, ThresholdOverride } from '@vigil/contracts';

/** A COPD patient's prescribed target, 88-92 %: alert only below 88 (BTS oxygen guideline 2017). */
export const COPD_OVERRIDES: ThresholdOverride[] = [
  {
    vital: 'spo2',
    comparison: 'below',
    threshold: 88,
    priority: 'high',
    sustainSeconds: 15,
    clearBand: 1,
  },
];

export interface AdmittedPatient {
  readonly id: string;
  readonly name: string;
  readonly ward: string;
  readonly deviceId: string;
  /** NEWS2 SpO2 scale 2 with the COPD override. */
  readonly copd?: boolean;
}

/** Vigil's HTTP API as the simulator and the benchmarks use it: sign in, admit, bind, add users. */
export class VigilClient {
  private token = '';

  constructor(private readonly httpUrl: string) {}

  get accessToken(): string {
    return this.token;
  }

  async signIn(username: string, password: string): Promise<void> {
    const session = await this.send('POST', '/api/auth/login', { username, password }, [200]);
    this.token = (session.body as { accessToken: string }).accessToken;
  }

  /**
   * Admits the patient (an existing one is reused, readmitted if discharged), puts her wearable
   * on her, and returns the wearable's secret (a new one when it existed already).
   */
  async admit(patient: AdmittedPatient): Promise<string> {
    const admitted = await this.send(
      'POST',
      '/api/patients',
      { id: patient.id, name: patient.name, ward: patient.ward },
      [201, 409],
    );
    if (admitted.status === 409) {
      const known = await this.send('GET', `/api/patients/${patient.id}`, undefined, [200]);
      if ((known.body as { status: string }).status === 'discharged') await this.readmit(patient);
    }
    if (patient.copd) {
      await this.send('PATCH', `/api/patients/${patient.id}`, { spo2Scale: 2 }, [200]);
      await this.send(
        'PUT',
        `/api/patients/${patient.id}/thresholds`,
        { thresholds: COPD_OVERRIDES, reason: 'COPD, target 88-92 % (simulated)' },
        [200],
      );
    }
    const registered = await this.send(
      'POST',
      '/api/devices',
      { id: patient.deviceId, patientId: patient.id },
      [201, 409],
    );
    if (registered.status === 201) return (registered.body as { secret: string }).secret;
    // Registered by an earlier run: on her already, or to be put on her, with a new secret.
    const device = await this.send('GET', '/api/devices', undefined, [200]);
    const current = (device.body as { id: string; patientId: string | null }[]).find(
      (d) => d.id === patient.deviceId,
    );
    if (current?.patientId === null) {
      const bound = await this.bind(patient.deviceId, patient.id, true);
      return bound.secret as string;
    }
    const rotated = await this.send('POST', `/api/devices/${patient.deviceId}/secret`, {}, [200]);
    return (rotated.body as { secret: string }).secret;
  }

  /** A new patient with no wearable yet (one is bound to her next). */
  async admitWithoutWearable(
    patient: Pick<AdmittedPatient, 'id' | 'name' | 'ward'>,
  ): Promise<void> {
    await this.send(
      'POST',
      '/api/patients',
      { id: patient.id, name: patient.name, ward: patient.ward },
      [201],
    );
  }

  /** A discharged patient back in, on her ward: a new stay. */
  async readmit(patient: Pick<AdmittedPatient, 'id' | 'ward'>): Promise<void> {
    await this.send('POST', `/api/patients/${patient.id}/admit`, { ward: patient.ward }, [200]);
  }

  /** Ends her stay; her wearables come off her. */
  async discharge(patientId: string, reason: string): Promise<void> {
    await this.send('POST', `/api/patients/${patientId}/discharge`, { reason }, [200]);
  }

  /** Puts an available wearable on her; with `rotateSecret`, answers its new secret. */
  async bind(
    deviceId: string,
    patientId: string,
    rotateSecret = false,
  ): Promise<{ secret?: string }> {
    const bound = await this.send(
      'POST',
      `/api/devices/${deviceId}/bind`,
      { patientId, rotateSecret },
      [200],
    );
    return bound.body as { secret?: string };
  }

  async createUser(user: NewUser): Promise<void> {
    await this.send('POST', '/api/users', user, [201, 409]);
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    accept: number[],
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.httpUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!accept.includes(response.status)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }
}
