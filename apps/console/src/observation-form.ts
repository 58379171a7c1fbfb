import {
  CONSCIOUSNESS_LEVELS,
  VITAL_NAMES,
  VITAL_SIGNS,
  type News2View,
  type Observation,
  type Patient,
} from '@vigil/contracts';
import { api } from './api';
import { identification, make, unitLabel } from './dom';

const ACVPU: Record<(typeof CONSCIOUSNESS_LEVELS)[number], string> = {
  A: 'Alert',
  C: 'new Confusion',
  V: 'responds to Voice',
  P: 'responds to Pain',
  U: 'Unresponsive',
};

/** A fieldset of radio buttons; `name` is how the form reads the choice back. */
function choices(legend: string, name: string, options: [string, string][]): HTMLFieldSetElement {
  const set = make('fieldset', undefined, 'choices');
  set.append(make('legend', legend));
  for (const [value, text] of options) {
    const label = make('label');
    const input = make('input');
    input.type = 'radio';
    input.name = name;
    input.value = value;
    label.append(input, ` ${text}`);
    set.append(label);
  }
  return set;
}

function numberField(label: string, name: string, min: number, max: number): HTMLLabelElement {
  const wrapper = make('label', `${label} `);
  const input = make('input');
  input.type = 'number';
  input.name = name;
  input.min = String(min);
  input.max = String(max);
  input.step = 'any';
  wrapper.append(input);
  return wrapper;
}

/** The set as the API takes it, from what the form holds (empty fields left out). */
function readSet(form: HTMLFormElement) {
  const data = new FormData(form);
  const value = (name: string) => String(data.get(name) ?? '').trim();
  const vitals: Record<string, number | string | boolean> = {};
  for (const name of VITAL_NAMES) if (value(name) !== '') vitals[name] = Number(value(name));
  if (value('consciousness')) vitals.consciousness = value('consciousness');
  if (value('onOxygen')) vitals.onOxygen = value('onOxygen') === 'oxygen';
  const flow = value('flowLpm');
  const device = value('oxygenDevice');
  return {
    effectiveAt: new Date().toISOString(),
    vitals,
    ...((flow || device) && {
      oxygen: { ...(flow && { flowLpm: Number(flow) }), ...(device && { device }) },
    }),
    ...(value('note') && { note: value('note') }),
  };
}

const describeScore = (score: Pick<News2View, 'total' | 'risk' | 'complete' | 'missing'>) =>
  `NEWS2 ${score.total} (${score.risk})${score.complete ? '' : `, partial: missing ${score.missing.join(', ')}`}`;

/**
 * A nurse's observation set at the bedside: ACVPU, air or oxygen with its flow, any vital sign
 * measured by hand, the NEWS2 it would give before saving, and the patient's identity confirmed
 * by her two identifiers.
 */
export function observationForm(patient: Patient, saved: (set: Observation) => void): HTMLElement {
  const section = make('section', undefined, 'manage observation');
  section.setAttribute('aria-label', 'Record observations');
  section.append(make('h3', 'Record observations'));
  const form = make('form', undefined, 'observation-form');
  form.append(
    choices(
      'Level of consciousness (ACVPU)',
      'consciousness',
      CONSCIOUSNESS_LEVELS.map((level) => [level, `${level}: ${ACVPU[level]}`]),
    ),
    choices('Breathing', 'onOxygen', [
      ['air', 'room air'],
      ['oxygen', 'supplemental oxygen'],
    ]),
    numberField('Oxygen flow (L/min)', 'flowLpm', 0, 70),
  );
  const device = make('label', 'Oxygen device ');
  const deviceInput = make('input');
  deviceInput.name = 'oxygenDevice';
  device.append(deviceInput);
  form.append(device);
  for (const name of VITAL_NAMES) {
    const definition = VITAL_SIGNS[name];
    form.append(
      numberField(
        `${definition.display} (${unitLabel(definition.unit)})`,
        name,
        definition.min,
        definition.max,
      ),
    );
  }
  const note = make('label', 'Note ');
  const noteInput = make('input');
  noteInput.name = 'note';
  note.append(noteInput);
  const confirm = make('label', 'Confirm ');
  const check = make('input');
  check.type = 'checkbox';
  check.required = true;
  confirm.append(check, ` this is ${patient.name}, ${identification(patient)}`);
  const preview = make('button', 'Preview NEWS2');
  preview.type = 'button';
  const save = make('button', 'Save observations');
  save.type = 'submit';
  const result = make('p', '', 'action-result');
  result.setAttribute('role', 'status');
  form.append(note, confirm, preview, save);

  preview.addEventListener('click', () => {
    void api.previewObservation(patient.id, readSet(form)).then((outcome) => {
      result.textContent = outcome.ok
        ? `Would give ${describeScore(outcome.value)}.`
        : `Not valid: ${outcome.message}`;
      result.dataset.ok = String(outcome.ok);
    });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void api.recordObservation(patient.id, readSet(form)).then((outcome) => {
      result.dataset.ok = String(outcome.ok);
      if (!outcome.ok) {
        result.textContent = `Not saved: ${outcome.message}`;
        return;
      }
      result.textContent = `Saved: ${describeScore({ ...outcome.value.news2, missing: [] })}.`;
      form.reset();
      saved(outcome.value);
    });
  });
  section.append(form, result);
  return section;
}
