import {
  MAX_ALARM_PAUSE_MINUTES,
  VITAL_NAMES,
  VITAL_SIGNS,
  type AlarmPause,
  type Patient,
} from '@vigil/contracts';
import { api } from './api';
import { choiceField, make, textField } from './dom';

const scopeText = (scope: AlarmPause['scope']): string =>
  scope === 'all'
    ? 'all alarms'
    : scope === 'physiological'
      ? 'patient alarms'
      : `${VITAL_SIGNS[scope].display} alarms`;

/** `m:ss` left of a pause, for the countdown. */
export function timeLeft(until: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The pause on a tile: what is paused, the countdown (ticked by `tickCountdowns`), the reason. */
export function pauseBanner(pause: AlarmPause, canResume: boolean): HTMLElement {
  const banner = make('p', undefined, 'alarm-pause');
  banner.setAttribute('role', 'status');
  const countdown = make('span', timeLeft(pause.until), 'pause-countdown');
  countdown.dataset.until = pause.until;
  banner.append(`Paused: ${scopeText(pause.scope)}, `, countdown, ` left (${pause.reason})`);
  if (canResume) {
    const resume = make('button', 'Resume alarms', 'resume');
    resume.type = 'button';
    resume.addEventListener('click', () => void api.resumeAlarms(pause.patientId));
    banner.append(' ', resume);
  }
  return banner;
}

/** Moves every countdown on the page on; called each second. */
export function tickCountdowns(now = Date.now()): void {
  for (const element of document.querySelectorAll<HTMLElement>('.pause-countdown'))
    element.textContent = timeLeft(element.dataset.until ?? '', now);
}

/** The pause form of the patient view: how long, what, and why. */
export function pauseForm(patient: Patient): HTMLElement {
  const section = make('section', undefined, 'manage');
  section.setAttribute('aria-label', 'Pause alarms');
  section.append(make('h3', 'Pause alarms'));
  const form = make('form', undefined, 'pause-form');
  const minutes = choiceField(
    'Minutes',
    'minutes',
    [1, 2, 5, 10, MAX_ALARM_PAUSE_MINUTES].map((value) => [String(value), String(value)] as const),
    '2',
  );
  const scope = choiceField(
    'Alarms',
    'scope',
    (['all', 'physiological', ...VITAL_NAMES] as AlarmPause['scope'][]).map(
      (value) => [value, scopeText(value)] as const,
    ),
    'all',
  );
  const reason = textField('Reason', 'reason', { required: true });
  const submit = make('button', 'Pause');
  submit.type = 'submit';
  const result = make('p', '', 'action-result');
  result.setAttribute('role', 'status');
  form.append(minutes.label, scope.label, reason.label, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void api
      .pauseAlarms(patient.id, {
        minutes: Number(minutes.select.value),
        scope: scope.select.value,
        reason: reason.input.value.trim(),
      })
      .then((outcome) => {
        result.dataset.ok = String(outcome.ok);
        result.textContent = outcome.ok
          ? `Paused until ${new Date(outcome.value.until).toLocaleTimeString()}.`
          : `Not paused: ${outcome.message}`;
      });
  });
  section.append(form, result);
  return section;
}
