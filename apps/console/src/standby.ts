import type { Patient, Standby } from '@vigil/contracts';
import { api } from './api';
import { choiceField, make, textField } from './dom';

/** Standby on a tile: until when and why, and the way back to monitoring. */
export function standbyBanner(standby: Standby, canEnd: boolean): HTMLElement {
  const banner = make('p', undefined, 'standby');
  banner.setAttribute('role', 'status');
  banner.append(
    `Standby until ${new Date(standby.until).toLocaleTimeString()} (${standby.reason}): no device alarms`,
  );
  if (canEnd) {
    const back = make('button', 'Back on ward', 'end-standby');
    back.type = 'button';
    back.addEventListener('click', () => void api.endStandby(standby.patientId));
    banner.append(' ', back);
  }
  return banner;
}

/** The standby form of the patient view: how long she will be off the ward, and where. */
export function standbyForm(patient: Patient): HTMLElement {
  const section = make('section', undefined, 'manage');
  section.setAttribute('aria-label', 'Standby');
  section.append(make('h3', 'Standby (off the ward)'));
  const form = make('form', undefined, 'standby-form');
  const hours = choiceField(
    'For',
    'hours',
    [
      ['0.5', '30 minutes'],
      ['1', '1 hour'],
      ['2', '2 hours'],
      ['4', '4 hours'],
      ['12', '12 hours'],
    ],
    '1',
  );
  const reason = textField('Where', 'reason', { required: true, placeholder: 'imaging' });
  const submit = make('button', 'Standby');
  submit.type = 'submit';
  const result = make('p', '', 'action-result');
  result.setAttribute('role', 'status');
  form.append(hours.label, reason.label, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const until = new Date(Date.now() + Number(hours.select.value) * 3_600_000).toISOString();
    void api.standby(patient.id, { until, reason: reason.input.value.trim() }).then((outcome) => {
      result.dataset.ok = String(outcome.ok);
      result.textContent = outcome.ok
        ? `On standby until ${new Date(outcome.value.until).toLocaleTimeString()}.`
        : `Not on standby: ${outcome.message}`;
    });
  });
  section.append(form, result);
  return section;
}
