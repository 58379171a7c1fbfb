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

  /** Admits the patient (an existing one is reused) and returns her wearable's secret. */
  async admit(patient: AdmittedPatient): Promise<string> {
    await this.send(
      'POST',
      '/api/patients',
      { id: patient.id, name: patient.name, ward: patient.ward },
      [201, 409],
    );
    if (patient.copd) {
      await this.send('PATCH', `/api/patients/${patient.id}`, { spo2Scale: 2 }, [200]);
      await this.send(
        'PUT',
        `/api/patients/${patient.id}/thresholds`,
        { thresholds: COPD_OVERRIDES, reason: 'COPD, target 88-92 % (simulated)' },
        [200],
      );
    }
    const bound = await this.send(
      'POST',
      '/api/devices',
      { id: patient.deviceId, patientId: patient.id },
      [201, 409],
    );
    if (bound.status === 201) return (bound.body as { secret: string }).secret;
    // Bound by an earlier run: a new secret.
    const rotated = await this.send('POST', `/api/devices/${patient.deviceId}/secret`, {}, [200]);
    return (rotated.body as { secret: string }).secret;
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
      body: JSON.stringify(body),
    });
    if (!accept.includes(response.status)) {
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    return { status: response.status, body: await response.json().catch(() => undefined) };
  }
}
