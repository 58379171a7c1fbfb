import { mrnOf, type Patient } from '@vigil/contracts';

/** Creates an element with text (never HTML: patient data is not markup). */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Two identifiers on every view of a patient, as safe identification asks: MRN and birth date. */
export function identification(patient: Patient): string {
  const mrn = mrnOf(patient);
  return [
    mrn ? `MRN ${mrn.value}` : 'no MRN',
    patient.birthDate ? `born ${patient.birthDate}` : 'birth date unknown',
  ].join(' · ');
}

/** Where she lies: ward, and bed when known. */
export function placeOf(patient: Patient): string {
  return patient.bed ? `${patient.ward} bed ${patient.bed}` : patient.ward;
}

export function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

export function unitLabel(unit: string): string {
  return unit === 'Cel' ? '°C' : unit === 'mm[Hg]' ? 'mmHg' : unit;
}

export function formatAge(ts: number | undefined, now = Date.now()): string {
  if (ts === undefined) return 'no data yet';
  const seconds = Math.max(0, Math.round((now - ts) / 1000));
  return seconds < 90 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

/** A labelled drop-down of `[value, text]` choices; the label holds the select. */
export function choiceField(
  label: string,
  name: string,
  choices: readonly (readonly [string, string])[],
  selected: string,
): { label: HTMLLabelElement; select: HTMLSelectElement } {
  const field = make('label', `${label} `);
  const select = make('select');
  select.name = name;
  for (const [value, text] of choices) {
    const option = make('option', text);
    option.value = value;
    select.append(option);
  }
  select.value = selected;
  field.append(select);
  return { label: field, select };
}

/** A labelled text input. */
export function textField(
  label: string,
  name: string,
  options: { required?: boolean; placeholder?: string } = {},
): { label: HTMLLabelElement; input: HTMLInputElement } {
  const field = make('label', `${label} `);
  const input = make('input');
  input.name = name;
  input.required = options.required ?? false;
  if (options.placeholder) input.placeholder = options.placeholder;
  field.append(input);
  return { label: field, input };
}
