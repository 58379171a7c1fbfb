import { CARE_NAMESPACE, CareEvent, type Alert } from '@vigil/contracts';
import { io, type Socket } from 'socket.io-client';
import { SCENARIOS, type ScenarioName } from './patient-scenarios';

export interface CheckedPatient {
  readonly id: string;
  readonly scenario: ScenarioName;
}

export interface PatientVerdict {
  readonly patientId: string;
  readonly scenario: ScenarioName;
  readonly raised: string[];
  readonly missing: string[];
  readonly unexpected: string[];
  /** `pass`, `fail`, or `pending` when the run ended before the scenario was due. */
  readonly verdict: 'pass' | 'fail' | 'pending';
}

/**
 * Watches Vigil's console feed like a nurse would, and at the end compares the alerts each
 * simulated patient raised with what her scenario promises.
 */
export class AcceptanceCheck {
  private readonly socket: Socket;
  private readonly raised = new Map<string, Set<string>>();

  constructor(
    httpUrl: string,
    token: string,
    private readonly patients: CheckedPatient[],
  ) {
    const ids = new Set(patients.map((patient) => patient.id));
    this.socket = io(`${httpUrl}${CARE_NAMESPACE}`, {
      transports: ['websocket'],
      auth: { token },
    });
    const note = (alert: Alert) => {
      // Care reminders (observations overdue) follow the ward's routine, not the scenario.
      if (!ids.has(alert.patientId) || alert.category === 'care') return;
      const rules = this.raised.get(alert.patientId) ?? new Set<string>();
      rules.add(alert.rule);
      this.raised.set(alert.patientId, rules);
    };
    this.socket.on(CareEvent.AlertRaised, note);
    this.socket.on(CareEvent.AlertUpdated, note);
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  /**
   * `scenarioSeconds`: how much of each scenario has played; `wallSeconds`: how long in real
   * time, since sustain times run on real time whatever the scenario speed.
   */
  verdicts(scenarioSeconds: number, wallSeconds: number): PatientVerdict[] {
    return this.patients.map(({ id, scenario }) => {
      const expectation = SCENARIOS[scenario];
      const raised = [...(this.raised.get(id) ?? [])].sort();
      const allowed = new Set([...expectation.raises, ...expectation.mayAlsoRaise]);
      const missing = expectation.raises.filter((rule) => !raised.includes(rule));
      const unexpected = raised.filter((rule) => !allowed.has(rule));
      const due =
        scenarioSeconds >= expectation.dueBySeconds && wallSeconds >= expectation.minRealSeconds;
      const verdict =
        unexpected.length > 0 || (due && missing.length > 0)
          ? 'fail'
          : missing.length > 0
            ? 'pending'
            : 'pass';
      return { patientId: id, scenario, raised, missing, unexpected, verdict };
    });
  }

  close(): void {
    this.socket.close();
  }
}
