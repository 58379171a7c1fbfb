import { CARE_NAMESPACE, CareEvent, WARD_CONNECTION_LOST, type Alert } from '@vigil/contracts';
import { io, type Socket } from 'socket.io-client';
import { SCENARIOS, type ScenarioExpectation, type ScenarioName } from './patient-scenarios';

/** A lost device's own alarms, for which its ward's alarm speaks when many are lost at once. */
const CONNECTION_RULES: readonly string[] = ['device.offline', 'device.no-data'];

/**
 * One patient's verdict from the rules she raised: `fail` on a rule her scenario does not
 * allow, or on one it promises still missing once due; `pending` before then. A ward alarm for
 * many devices lost at once stands in for her device's own.
 */
export function verdictOf(
  expectation: ScenarioExpectation,
  raised: readonly string[],
  wardAlarmRaised: boolean,
  due: boolean,
): Pick<PatientVerdict, 'missing' | 'unexpected' | 'verdict'> {
  const allowed = new Set([...expectation.raises, ...expectation.mayAlsoRaise]);
  const missing = expectation.raises.filter(
    (rule) => !raised.includes(rule) && !(wardAlarmRaised && CONNECTION_RULES.includes(rule)),
  );
  const unexpected = raised.filter((rule) => !allowed.has(rule));
  const verdict =
    unexpected.length > 0 || (due && missing.length > 0)
      ? 'fail'
      : missing.length > 0
        ? 'pending'
        : 'pass';
  return { missing, unexpected, verdict };
}

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
  private wardAlarmRaised = false;

  constructor(
    httpUrl: string,
    token: string,
    private readonly patients: CheckedPatient[],
    /** The ward the patients lie on. */
    ward: string,
  ) {
    const ids = new Set(patients.map((patient) => patient.id));
    this.socket = io(`${httpUrl}${CARE_NAMESPACE}`, {
      transports: ['websocket'],
      auth: { token },
    });
    const note = (alert: Alert) => {
      if (alert.ward === ward && alert.rule === WARD_CONNECTION_LOST) this.wardAlarmRaised = true;
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
      const due =
        scenarioSeconds >= expectation.dueBySeconds && wallSeconds >= expectation.minRealSeconds;
      return {
        patientId: id,
        scenario,
        raised,
        ...verdictOf(expectation, raised, this.wardAlarmRaised, due),
      };
    });
  }

  close(): void {
    this.socket.close();
  }
}
