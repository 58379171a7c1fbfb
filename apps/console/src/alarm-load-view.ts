import type { AlarmLoadReport } from '@vigil/contracts';
import { api } from './api';
import { byId, choiceField, make } from './dom';

const PERIODS = [
  ['86400000', 'last 24 hours'],
  ['604800000', 'last 7 days'],
  ['2678400000', 'last 31 days'],
] as const;

const seconds = (value: number | undefined) => (value === undefined ? '–' : `${value} s`);
const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** A table with a header row and one row of cells a line. */
function table(caption: string, headings: string[], rows: (string | number)[][]): HTMLElement {
  const element = make('table', undefined, 'report-table');
  element.append(make('caption', caption));
  const head = make('tr');
  for (const heading of headings) head.append(make('th', heading));
  element.append(head);
  for (const row of rows) {
    const line = make('tr');
    for (const cell of row) line.append(make('td', String(cell)));
    element.append(line);
  }
  if (rows.length === 0) {
    const empty = make('tr');
    const cell = make('td', 'No alarms in this period.');
    cell.colSpan = headings.length;
    empty.append(cell);
    element.append(empty);
  }
  return element;
}

/** The figures a ward tunes its thresholds by, one line each. */
function summary(report: AlarmLoadReport): HTMLElement {
  const list = make('dl', undefined, 'report-summary');
  const line = (term: string, value: string) => list.append(make('dt', term), make('dd', value));
  line('Alarms', String(report.alarms));
  line(
    'Per patient-day',
    `${report.alarmsPerPatientDay ?? '–'} (over ${report.patientDays.toFixed(1)} patient-days)`,
  );
  line(
    'By priority',
    `${report.byPriority.high} high · ${report.byPriority.medium} medium · ${report.byPriority.low} low`,
  );
  line(
    'Time to acknowledge',
    `median ${seconds(report.timeToAcknowledge.medianSeconds)}, 90th percentile ${seconds(report.timeToAcknowledge.p90Seconds)} (${report.timeToAcknowledge.acknowledged} acknowledged)`,
  );
  line(
    'Cleared before anyone acknowledged',
    `${report.resolvedUnacknowledged.count} (${percent(report.resolvedUnacknowledged.share)})`,
  );
  line('Closed without clearing (stay, device, standby, ward alarm)', String(report.withdrawn));
  const scopes = Object.entries(report.pauses.byScope)
    .map(([scope, count]) => `${scope} ${count}`)
    .join(', ');
  line(
    'Pauses',
    `${report.pauses.count}, ${report.pauses.minutes} min set${scopes ? ` (${scopes})` : ''}`,
  );
  line('Standbys', `${report.standbys.count}, ${report.standbys.hours} h set`);
  return list;
}

/** The alarm-load page: a ward and a period, and what its alarms were. */
export async function showAlarmLoad(wards: readonly string[]): Promise<void> {
  const root = byId('report-view');
  root.replaceChildren(make('h2', 'Alarm load'));
  const form = make('form', undefined, 'report-form');
  const ward = choiceField(
    'Ward',
    'ward',
    wards.map((name) => [name, name] as const),
    wards[0] ?? '',
  );
  const period = choiceField('Period', 'period', PERIODS, PERIODS[1][0]);
  const show = make('button', 'Show');
  show.type = 'submit';
  form.append(ward.label, period.label, show);
  const output = make('div', undefined, 'report');
  output.setAttribute('aria-live', 'polite');
  root.append(form, output);
  const load = async () => {
    const to = Date.now();
    try {
      const report = await api.alarmLoad(ward.select.value, to - Number(period.select.value), to);
      output.replaceChildren(
        make(
          'p',
          `Ward ${report.ward}, ${new Date(report.from).toLocaleString()} to ${new Date(report.to).toLocaleString()}${report.truncated ? ' (the first 200,000 alarms)' : ''}`,
          'quiet',
        ),
        summary(report),
        table(
          'By rule',
          [
            'Rule',
            'Alarms',
            'High',
            'Medium',
            'Low',
            'Acknowledged',
            'Cleared alone',
            'Median to acknowledge',
          ],
          report.byRule.map((rule) => [
            rule.rule,
            rule.alarms,
            rule.high,
            rule.medium,
            rule.low,
            rule.acknowledged,
            rule.resolvedUnacknowledged,
            seconds(rule.medianSecondsToAcknowledge),
          ]),
        ),
        table(
          'By patient',
          ['Patient', 'Bed', 'Alarms'],
          report.byPatient.map((entry) => [
            entry.patientId === '' ? 'the ward itself' : (entry.name ?? entry.patientId),
            entry.bed ?? '',
            entry.alarms,
          ]),
        ),
      );
    } catch (error) {
      output.replaceChildren(make('p', `Report not available: ${String(error)}`, 'error'));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  if (wards.length > 0) await load();
}
