import type { Device, Patient, PatientSex } from '@vigil/contracts';
import { api, type Outcome } from './api';
import { make } from './dom';

/** The system MRNs typed at the console are recorded under (an ADT admission carries the PAS's own). */
const CONSOLE_MRN_SYSTEM = 'urn:vigil:console-mrn';

/** A labelled input; `name` is how the form reads it back. */
function field(
  label: string,
  name: string,
  attributes: Record<string, string> = {},
): HTMLLabelElement {
  const wrapper = make('label', `${label} `);
  const input = make('input');
  input.name = name;
  for (const [key, value] of Object.entries(attributes)) input.setAttribute(key, value);
  wrapper.append(input);
  return wrapper;
}

function select(label: string, name: string, options: [string, string][]): HTMLLabelElement {
  const wrapper = make('label', `${label} `);
  const element = make('select');
  element.name = name;
  for (const [value, text] of options) {
    const option = make('option', text);
    option.value = value;
    element.append(option);
  }
  wrapper.append(element);
  return wrapper;
}

function submitButton(text: string): HTMLButtonElement {
  const button = make('button', text);
  button.type = 'submit';
  return button;
}

/** Runs a change, says how it went in the form's status line, and calls `done` on success. */
function onSubmit<T>(
  form: HTMLFormElement,
  change: (values: Record<string, string>) => Promise<Outcome<T>>,
  done: (value: T) => void,
): HTMLElement {
  const result = make('p', '', 'action-result');
  result.setAttribute('role', 'status');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries(
      [...new FormData(form).entries()].map(([key, value]) => [key, String(value).trim()]),
    );
    result.textContent = 'Saving…';
    void change(values).then((outcome) => {
      result.textContent = outcome.ok ? 'Done.' : `Not done: ${outcome.message}`;
      result.dataset.ok = String(outcome.ok);
      if (outcome.ok) done(outcome.value);
    });
  });
  return result;
}

/** Admitting a new patient to one of the user's wards. */
export function admitForm(wards: readonly string[], done: (patient: Patient) => void): HTMLElement {
  const details = make('details', undefined, 'manage');
  details.append(make('summary', 'Admit a patient'));
  const form = make('form', undefined, 'admit-form');
  const wardField =
    wards.length > 0
      ? select(
          'Ward',
          'ward',
          wards.map((ward) => [ward, ward]),
        )
      : field('Ward', 'ward', { required: '' });
  form.append(
    field('Patient id', 'id', { required: '', pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}' }),
    field('Name', 'name', { required: '' }),
    field('MRN', 'mrn', { required: '' }),
    field('Date of birth', 'birthDate', { type: 'date', required: '' }),
    select('Sex', 'sex', [
      ['female', 'female'],
      ['male', 'male'],
      ['other', 'other'],
      ['unknown', 'unknown'],
    ]),
    wardField,
    field('Bed', 'bed'),
    submitButton('Admit'),
  );
  const result = onSubmit(
    form,
    (values) =>
      api.admit({
        id: values.id,
        name: values.name,
        ward: values.ward,
        ...(values.bed && { bed: values.bed }),
        birthDate: values.birthDate,
        sex: values.sex as PatientSex,
        identifiers: [{ system: CONSOLE_MRN_SYSTEM, value: values.mrn, type: 'MR' }],
      }),
    (patient) => {
      form.reset();
      done(patient);
    },
  );
  details.append(form, result);
  return details;
}

/** Transfer, discharge and wearables of one admitted patient. */
export async function stayActions(
  patient: Patient,
  deviceIds: readonly string[],
  changed: () => void,
): Promise<HTMLElement> {
  const section = make('section', undefined, 'manage');
  section.setAttribute('aria-label', 'Stay and wearables');
  section.append(make('h3', 'Stay and wearables'));

  const transfer = make('form', undefined, 'transfer-form');
  transfer.append(
    field('To ward', 'ward', { required: '' }),
    field('Bed', 'bed'),
    submitButton('Transfer'),
  );
  const transferred = onSubmit(
    transfer,
    (values) =>
      api.transfer(patient.id, { ward: values.ward, ...(values.bed && { bed: values.bed }) }),
    changed,
  );

  const discharge = make('form', undefined, 'discharge-form');
  const confirm = make('label', 'Confirm ');
  const check = make('input');
  check.type = 'checkbox';
  check.name = 'confirmed';
  check.required = true;
  confirm.append(check, `${patient.name} leaves the ward`);
  discharge.append(field('Reason', 'reason'), confirm, submitButton('Discharge'));
  const discharged = onSubmit(
    discharge,
    (values) => api.discharge(patient.id, values.reason || undefined),
    changed,
  );

  section.append(
    transfer,
    transferred,
    discharge,
    discharged,
    await wearables(patient, deviceIds, changed),
  );
  return section;
}

/** The wearables on her, each with its history, and the ones available to put on her. */
async function wearables(
  patient: Patient,
  deviceIds: readonly string[],
  changed: () => void,
): Promise<HTMLElement> {
  const part = make('div', undefined, 'wearables');
  part.append(make('h4', 'Wearables'));
  const list = make('ul', undefined, 'device-list');
  const devices = await api.devices().catch((): Device[] => []);
  for (const deviceId of deviceIds) {
    const item = make('li');
    item.dataset.deviceId = deviceId;
    const unbind = make('form', undefined, 'unbind-form');
    unbind.append(submitButton(`Unbind ${deviceId}`));
    const result = onSubmit(unbind, () => api.unbind(deviceId), changed);
    const history = make('ul', undefined, 'device-history');
    for (const period of await api.deviceHistory(deviceId).catch(() => [])) {
      history.append(
        make(
          'li',
          `${period.patientId}: ${new Date(period.from).toLocaleString()} – ${period.to ? new Date(period.to).toLocaleString() : 'now'}`,
        ),
      );
    }
    item.append(make('span', deviceId, 'device-id'), unbind, result, history);
    list.append(item);
  }
  if (deviceIds.length === 0) list.append(make('li', 'No wearable on her.'));
  const available = devices.filter((device) => device.state === 'available');
  const bind = make('form', undefined, 'bind-form');
  bind.append(
    select(
      'Wearable',
      'deviceId',
      available.map((device) => [device.id, device.id]),
    ),
    submitButton('Bind'),
  );
  const bound = onSubmit(bind, (values) => api.bind(values.deviceId, patient.id), changed);
  if (available.length === 0) bind.hidden = true;
  part.append(list, bind, bound);
  if (available.length === 0) part.append(make('p', 'No wearable is available.', 'quiet'));
  return part;
}
