import {
  VITAL_NAMES,
  VITAL_SIGNS,
  type Observation,
  type PatientTrendView,
  type ThresholdView,
  type VitalName,
  type VitalTrendView,
} from '@vigil/contracts';
import uPlot from 'uplot';
import { api } from './api';
import { byId, identification, make, placeOf, unitLabel } from './dom';
import { describeAlert } from './alert-panel';
import { pauseForm } from './alarm-pause';
import { standbyForm } from './standby';
import { observationForm } from './observation-form';
import { stayActions } from './stay-actions';

export const SPANS = { '1 h': 3_600_000, '6 h': 6 * 3_600_000, '24 h': 24 * 3_600_000 } as const;
export type SpanName = keyof typeof SPANS;
const PRIORITY_COLOUR = { high: '#b00020', medium: '#b26a00', low: '#1d5fa8' } as const;

/** One patient: history charts with thresholds, alert history and threshold overrides. */
export class PatientView {
  private charts: uPlot[] = [];
  /** The patient on screen, if any. */
  shown?: string;

  constructor(
    private readonly canManage: (ward: string) => boolean,
    private readonly canObserve: (ward: string) => boolean,
    private readonly recorded: (patientId: string) => void,
  ) {}

  async show(patientId: string, patientName: string, span: SpanName): Promise<void> {
    const root = byId('patient-view');
    this.shown = patientId;
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    const back = make('a', '← Ward');
    back.href = '#/';
    const title = make('h2', patientName);
    title.tabIndex = -1;
    const spans = make('div', undefined, 'spans');
    spans.setAttribute('role', 'group');
    spans.setAttribute('aria-label', 'History span');
    for (const name of Object.keys(SPANS) as SpanName[]) {
      const button = make('button', name, 'span');
      button.type = 'button';
      button.setAttribute('aria-pressed', String(name === span));
      button.addEventListener('click', () => void this.show(patientId, patientName, name));
      spans.append(button);
    }
    const identity = make('p', '', 'identity');
    const charts = make('div', undefined, 'charts');
    const trendSection = make('section', undefined, 'trend-watch');
    const alertsSection = make('section');
    const overridesSection = make('section');
    const manageSection = make('div');
    root.replaceChildren(
      back,
      title,
      identity,
      spans,
      trendSection,
      charts,
      alertsSection,
      overridesSection,
      manageSection,
    );
    title.focus();

    const everyMs = Math.max(10_000, Math.round(SPANS[span] / 360));
    const [patient, history, thresholds, alerts, trend] = await Promise.all([
      api.patient(patientId),
      api.history(patientId, SPANS[span], everyMs),
      api.thresholds(patientId),
      api.alertHistory(patientId),
      api.trends(patientId),
    ]);
    trendSection.append(...trendSummary(trend));
    title.textContent = patient.name;
    identity.textContent = [
      identification(patient),
      placeOf(patient),
      patient.status === 'admitted'
        ? `admitted ${new Date(patient.admittedAt).toLocaleString()}`
        : `discharged ${new Date(patient.dischargedAt ?? patient.admittedAt).toLocaleString()}`,
    ].join(' · ');
    if (patient.status === 'admitted' && this.canObserve(patient.ward)) {
      manageSection.append(pauseForm(patient), standbyForm(patient));
      manageSection.append(
        observationForm(patient, () => {
          this.recorded(patientId);
          void this.show(patientId, patient.name, span);
        }),
      );
    }
    const sets = await api.observations(patientId).catch((): Observation[] => []);
    if (sets.length > 0) {
      const list = make('ul', undefined, 'observation-history');
      for (const set of sets) {
        const values = Object.entries(set.vitals)
          .map(([name, value]) => `${name} ${String(value)}`)
          .join(', ');
        const flags = [set.late ? 'late entry' : '', set.enteredInError ? 'entered in error' : '']
          .filter(Boolean)
          .join(', ');
        list.append(
          make(
            'li',
            `${new Date(set.effectiveAt).toLocaleString()} by ${set.recordedBy}: ${values}${flags ? ` (${flags})` : ''}`,
          ),
        );
      }
      manageSection.append(make('h3', 'Observations recorded'), list);
    }
    if (patient.status === 'admitted' && this.canManage(patient.ward)) {
      manageSection.append(
        await stayActions(
          patient,
          patient.deviceIds,
          () => void this.show(patientId, patient.name, span),
        ),
      );
    }
    const to = Date.now();
    const from = to - SPANS[span];
    for (const name of VITAL_NAMES) {
      charts.append(
        this.chart(
          name,
          history.points,
          thresholds.effective.filter((rule) => rule.vital === name),
          manualPoints(sets, name, from, to),
          [from, to],
          trend.vitals.find((part) => part.vital === name),
        ),
      );
    }

    alertsSection.append(make('h3', 'Alert history'));
    const alertList = make('ul', undefined, 'alert-history');
    for (const alert of alerts) {
      const steps = alert.history.map(
        (step) =>
          `${step.kind} ${new Date(step.at).toLocaleString()}${step.by ? ` by ${step.by}` : ''}`,
      );
      alertList.append(
        make('li', `${alert.priority}: ${describeAlert(alert)} — ${steps.join(', ')}`),
      );
    }
    if (alerts.length === 0) alertList.append(make('li', 'No alerts.'));
    alertsSection.append(alertList);

    overridesSection.append(make('h3', 'Threshold overrides'));
    const overrides = make('ul', undefined, 'overrides');
    for (const rule of thresholds.overrides) {
      overrides.append(
        make(
          'li',
          `${VITAL_SIGNS[rule.vital].display} ${rule.comparison} ${rule.threshold}: ${rule.priority}`,
        ),
      );
    }
    if (thresholds.overrides.length === 0)
      overrides.append(make('li', 'None: the default adult thresholds apply.'));
    overridesSection.append(overrides);
  }

  private chart(
    name: VitalName,
    points: { ts: string; vitals: Record<string, number | undefined> }[],
    rules: ThresholdView[],
    manual: ManualPoint[],
    [from, to]: [number, number],
    baseline?: VitalTrendView,
  ): HTMLElement {
    const definition = VITAL_SIGNS[name];
    const figure = make('figure', undefined, 'chart');
    figure.dataset.vital = name;
    figure.dataset.manualPoints = String(manual.length);
    const caption = make('figcaption', `${definition.display} (${unitLabel(definition.unit)})`);
    if (manual.length > 0)
      caption.append(' ', make('span', `◆ ${manual.length} recorded by a nurse`, 'manual-key'));
    if (baseline) {
      const band = `${round(baseline.band.low)}–${round(baseline.band.high)}`;
      caption.append(' ', make('span', `▭ her usual ${band}`, 'baseline-key'));
      figure.dataset.baselineBand = band;
    }
    figure.append(caption);
    const xs = points.map((point) => Date.parse(point.ts) / 1000);
    const ys = points.map((point) => point.vitals[name] ?? null);
    const data: uPlot.AlignedData = [xs, ys, ...rules.map((rule) => xs.map(() => rule.threshold))];
    const series: uPlot.Series[] = [
      {},
      { label: definition.display, stroke: '#12263a', width: 2, spanGaps: false },
      ...rules.map((rule) => ({
        label: `${rule.priority} ${rule.comparison} ${rule.threshold}`,
        stroke: PRIORITY_COLOUR[rule.priority],
        dash: [6, 4],
        width: 1,
        points: { show: false },
      })),
    ];
    const width = Math.min(560, Math.max(280, byId('patient-view').clientWidth - 40));
    const options: uPlot.Options = {
      width,
      height: 160,
      series,
      legend: { show: true },
      scales: {
        // The span asked for, whatever the data: a single point does not stretch the axis to years.
        x: { time: true, range: (): uPlot.Range.MinMax => [from / 1000, to / 1000] },
        y: {
          range: (_u, min, max) =>
            valueRange([
              min,
              max,
              ...manual.map((p) => p.value),
              ...(baseline ? [baseline.band.low, baseline.band.high] : []),
            ]),
        },
      },
      plugins: [...(baseline ? [baselineBandPlugin(baseline)] : []), manualPointsPlugin(manual)],
    };
    this.charts.push(new uPlot(options, data, figure));
    figure.setAttribute(
      'aria-label',
      `${definition.display}: ${points.length} points, ${manual.length} recorded by a nurse; thresholds ${rules.map((r) => `${r.comparison} ${r.threshold}`).join(', ') || 'none'}`,
    );
    return figure;
  }
}

const round = (value: number) => String(Math.round(value * 10) / 10);

/** What her trend watch sees: its state, the score against its level, and why. */
function trendSummary(trend: PatientTrendView): HTMLElement[] {
  const heading = make('h3', 'Trend against her own baseline');
  const status = {
    off: 'Trend watch off for this patient.',
    learning: 'Learning her baseline (about two hours of monitoring with no alarm open).',
    watching: `Watching: score ${trend.score} (alerts at ${trend.level}).`,
    raised: `Trend alert raised (${trend.raised ?? 'low'}): score ${trend.score}, level ${trend.level}.`,
  }[trend.status];
  const line = make('p', status, 'trend-status');
  line.dataset.status = trend.status;
  const parts = [heading, line];
  if (trend.explanation) parts.push(make('p', trend.explanation, 'trend-explanation'));
  return parts;
}

/** Her usual band (median ± what she usually strays) shaded behind the line, her median dashed. */
function baselineBandPlugin(baseline: VitalTrendView): uPlot.Plugin {
  return {
    hooks: {
      drawClear: [
        (u) => {
          const { ctx } = u;
          const { left, width } = u.bbox;
          const top = u.valToPos(baseline.band.high, 'y', true);
          const bottom = u.valToPos(baseline.band.low, 'y', true);
          const middle = u.valToPos(baseline.baseline, 'y', true);
          ctx.save();
          ctx.fillStyle = 'rgba(46, 125, 50, 0.14)';
          ctx.fillRect(left, top, width, bottom - top);
          ctx.strokeStyle = 'rgba(46, 125, 50, 0.8)';
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(left, middle);
          ctx.lineTo(left + width, middle);
          ctx.stroke();
          ctx.restore();
        },
      ],
    },
  };
}

/** A value a nurse recorded in a set, where the chart marks it. */
interface ManualPoint {
  /** Epoch seconds, as uPlot's time axis. */
  readonly ts: number;
  readonly value: number;
}

const MANUAL_COLOUR = '#7a2f8f';

/** The vital's values from her valid sets taken within [from, to]. */
function manualPoints(
  sets: Observation[],
  name: VitalName,
  from: number,
  to: number,
): ManualPoint[] {
  return sets.flatMap((set) => {
    const at = Date.parse(set.effectiveAt);
    const value = set.vitals[name];
    return set.enteredInError || value === undefined || at < from || at > to
      ? []
      : [{ ts: at / 1000, value }];
  });
}

/** The y range: the data and the manual points with a margin; uPlot's own when there is none. */
function valueRange(values: (number | null)[]): uPlot.Range.MinMax {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  if (known.length === 0) return [0, 1];
  const low = Math.min(...known);
  const high = Math.max(...known);
  const margin = Math.max((high - low) * 0.1, Math.abs(high) * 0.02, 1);
  return [low - margin, high + margin];
}

/** Draws each manual point as a diamond over the device's line: hand-taken, not streamed. */
function manualPointsPlugin(points: ManualPoint[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx } = u;
          const size = 6 * devicePixelRatio;
          ctx.save();
          ctx.fillStyle = MANUAL_COLOUR;
          for (const point of points) {
            const x = u.valToPos(point.ts, 'x', true);
            const y = u.valToPos(point.value, 'y', true);
            ctx.beginPath();
            ctx.moveTo(x, y - size);
            ctx.lineTo(x + size, y);
            ctx.lineTo(x, y + size);
            ctx.lineTo(x - size, y);
            ctx.closePath();
            ctx.fill();
          }
          ctx.restore();
        },
      ],
    },
  };
}
