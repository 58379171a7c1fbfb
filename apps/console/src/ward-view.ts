import {
  PRIORITY_RANK,
  TREND_RULE,
  VITAL_NAMES,
  byUrgency,
  VITAL_SIGNS,
  type Alert,
  type PatientStatusEvent,
  type PatientSummary,
  type VitalName,
  type VitalValues,
  type VitalsEvent,
} from '@vigil/contracts';
import type { AlarmPauseEvent, StandbyEvent } from '@vigil/contracts';
import { pauseBanner } from './alarm-pause';
import { standbyBanner } from './standby';
import { byId, formatAge, identification, make, placeOf, unitLabel } from './dom';

const TREND_POINTS = 60;

interface Tile {
  patient: PatientSummary;
  vitals: VitalValues;
  lastTs?: number;
  status?: PatientStatusEvent['status'];
  battery?: number;
  news2?: VitalsEvent['news2'];
  trends: Partial<Record<VitalName, number[]>>;
}

/** Deteriorating against her own baseline: shown on the tile whatever her worst alert is. */
function trendMarker(alert: Alert): HTMLElement {
  const marker = make('p', '↗ Trend: worse than her own baseline', 'trend-marker');
  marker.dataset.priority = alert.priority;
  marker.title = alert.message ?? '';
  return marker;
}

/** The ward at a glance: one tile per patient, the sickest first. */
export class WardView {
  private readonly tiles = new Map<string, Tile>();

  constructor(
    private readonly openAlerts: () => Alert[],
    private readonly canObserve: (ward: string) => boolean,
  ) {}

  /** A pause set or ended: the tile shows it, with its countdown. */
  pause({ patientId, pause }: AlarmPauseEvent): void {
    const tile = this.tiles.get(patientId);
    if (!tile) return;
    const { alarmPause: _old, ...patient } = tile.patient;
    tile.patient = pause ? { ...patient, alarmPause: pause } : patient;
    this.render();
  }

  /** A standby begun or ended: the tile shows it. */
  standby({ patientId, standby }: StandbyEvent): void {
    const tile = this.tiles.get(patientId);
    if (!tile) return;
    const { standby: _old, ...patient } = tile.patient;
    tile.patient = standby ? { ...patient, standby } : patient;
    this.render();
  }

  /** The wards of the patients on screen, for a viewer who is not tied to wards. */
  wardNames(): string[] {
    return [...new Set([...this.tiles.values()].map((tile) => tile.patient.ward))].sort();
  }

  has(patientId: string): boolean {
    return this.tiles.has(patientId);
  }

  nameOf(patientId: string): string {
    return this.tiles.get(patientId)?.patient.name ?? patientId;
  }

  load(patients: PatientSummary[]): void {
    for (const patient of patients) {
      const known = this.tiles.get(patient.id);
      this.tiles.set(patient.id, {
        patient,
        vitals: known?.vitals ?? patient.latest?.vitals ?? {},
        lastTs: known?.lastTs ?? patient.latest?.ts,
        battery: known?.battery ?? patient.latest?.battery,
        // The server's view at load wins over an event heard before it.
        status: patient.lostDeviceIds
          ? 'offline'
          : known?.status === 'online'
            ? 'online'
            : undefined,
        news2: known?.news2,
        trends: known?.trends ?? {},
      });
    }
    this.render();
  }

  /** The whole ward afresh (on connecting): tiles of patients no longer listed go; returns their ids. */
  replace(patients: PatientSummary[]): string[] {
    const listed = new Set(patients.map((patient) => patient.id));
    const gone = [...this.tiles.keys()].filter((id) => !listed.has(id));
    for (const id of gone) this.tiles.delete(id);
    this.load(patients);
    return gone;
  }

  /** A patient who arrived, or whose details changed; her readings so far are kept. */
  upsert(patient: PatientSummary): void {
    this.load([patient]);
  }

  /** A patient who left the viewer's wards. */
  remove(patientId: string): void {
    this.tiles.delete(patientId);
    this.render();
  }

  /** Seeds a tile's trend lines from the store's history. */
  seedTrend(patientId: string, points: { vitals: VitalValues }[]): void {
    const tile = this.tiles.get(patientId);
    if (!tile) return;
    for (const name of VITAL_NAMES) {
      const values = points
        .map((point) => point.vitals[name])
        .filter((v): v is number => v !== undefined);
      if (values.length === 0) continue;
      if (!tile.trends[name]?.length) tile.trends[name] = values.slice(-TREND_POINTS);
      // The latest sample may not carry every vital: show the last known one (a 30 s mean).
      if (tile.vitals[name] === undefined) {
        tile.vitals = { ...tile.vitals, [name]: Math.round(values[values.length - 1] * 10) / 10 };
      }
    }
  }

  vitals(event: VitalsEvent): void {
    const tile = this.tiles.get(event.patientId);
    if (!tile) return;
    tile.vitals = { ...tile.vitals, ...event.vitals };
    tile.lastTs = Date.parse(event.ts);
    tile.news2 = event.news2 ?? tile.news2;
    tile.battery = event.battery ?? tile.battery;
    for (const [name, value] of Object.entries(event.vitals) as [VitalName, number][]) {
      tile.trends[name] = [...(tile.trends[name] ?? []), value].slice(-TREND_POINTS);
    }
    this.render();
  }

  status(event: PatientStatusEvent): void {
    const tile = this.tiles.get(event.patientId);
    if (tile) tile.status = event.status;
    this.render();
  }

  render(): void {
    const worst = new Map<string, Alert>();
    for (const alert of this.openAlerts()) {
      const current = worst.get(alert.patientId);
      if (!current || byUrgency(alert, current) < 0) worst.set(alert.patientId, alert);
    }
    const rank = (tile: Tile) => {
      const alert = worst.get(tile.patient.id);
      return alert ? PRIORITY_RANK[alert.priority] : 0;
    };
    const ordered = [...this.tiles.values()].sort(
      (a, b) =>
        rank(b) - rank(a) ||
        (b.news2?.total ?? 0) - (a.news2?.total ?? 0) ||
        a.patient.name.localeCompare(b.patient.name),
    );
    byId('ward').replaceChildren(
      ...ordered.map((tile) => this.renderTile(tile, worst.get(tile.patient.id))),
    );
    byId('no-patients').hidden = this.tiles.size > 0;
  }

  private renderTile(tile: Tile, worst: Alert | undefined): HTMLElement {
    const { patient } = tile;
    const article = make('article', undefined, 'tile');
    article.dataset.patientId = patient.id;
    if (worst) article.dataset.alert = worst.priority;
    const heading = make('h3');
    const link = make('a', patient.name);
    link.href = `#/patients/${encodeURIComponent(patient.id)}`;
    heading.append(link);
    if (worst) heading.append(make('span', ` ${worst.priority} alert`, 'tile-alert'));
    article.append(heading);
    const trend = this.openAlerts().find(
      (alert) => alert.patientId === patient.id && alert.rule === TREND_RULE,
    );
    if (trend) article.append(trendMarker(trend));
    article.append(make('p', identification(patient), 'identity'));
    if (patient.alarmPause && Date.parse(patient.alarmPause.until) > Date.now())
      article.append(pauseBanner(patient.alarmPause, this.canObserve(patient.ward)));
    if (patient.standby && Date.parse(patient.standby.until) > Date.now())
      article.append(standbyBanner(patient.standby, this.canObserve(patient.ward)));
    if (patient.nextObservationDue) {
      const due = Date.parse(patient.nextObservationDue);
      const overdue = due < Date.now();
      const line = make(
        'p',
        overdue
          ? `Observations overdue since ${new Date(due).toLocaleTimeString()}`
          : `Observations due ${new Date(due).toLocaleTimeString()}`,
        'observations-due',
      );
      line.dataset.overdue = String(overdue);
      article.append(line);
    }

    const device = [
      tile.status ? `device ${tile.status}` : undefined,
      tile.battery !== undefined ? `battery ${tile.battery} %` : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
    article.append(
      make(
        'p',
        `${placeOf(patient)} · ${formatAge(tile.lastTs)}${device ? ` · ${device}` : ''}`,
        'meta',
      ),
    );
    if (tile.news2) {
      const news2 = make(
        'p',
        `NEWS2 ${tile.news2.total} · ${tile.news2.risk}${tile.news2.complete ? '' : ' (partial)'}`,
        'news2',
      );
      news2.dataset.risk = tile.news2.risk;
      article.append(news2);
    }

    const breached = new Set(
      this.openAlerts()
        .filter((a) => a.patientId === patient.id && a.state !== 'latched')
        .map((a) => a.vital),
    );
    const list = make('dl', undefined, 'vitals');
    for (const name of VITAL_NAMES) {
      const definition = VITAL_SIGNS[name];
      const value = tile.vitals[name];
      list.append(make('dt', definition.display));
      const cell = make('dd', value === undefined ? '—' : `${value} ${unitLabel(definition.unit)}`);
      cell.dataset.vital = name;
      cell.dataset.breach = String(breached.has(name));
      list.append(cell, sparkline(tile.trends[name] ?? [], `${definition.display} trend`));
    }
    article.append(list);
    return article;
  }
}

/** A small trend line of recent values; decorative next to the number, so hidden from screen readers. */
function sparkline(values: number[], label: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 60 16');
  svg.setAttribute('class', 'trend');
  svg.setAttribute('aria-hidden', 'true');
  svg.dataset.label = label;
  if (values.length < 2) return svg;
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  // A steady value draws a flat line through the middle.
  const y = (value: number) => (span === 0 ? 8 : 15 - ((value - min) / span) * 14);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute(
    'points',
    values
      .map((value, i) => `${((i / (values.length - 1)) * 60).toFixed(1)},${y(value).toFixed(1)}`)
      .join(' '),
  );
  svg.append(line);
  return svg;
}
