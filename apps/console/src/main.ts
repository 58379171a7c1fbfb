import {
  CARE_NAMESPACE,
  CareEvent,
  VITAL_NAMES,
  VITAL_SIGNS,
  type Alert,
  type Patient,
  type PatientStatusEvent,
  type VitalValues,
  type VitalsEvent,
} from '@vigil/contracts';
import { io } from 'socket.io-client';

interface PatientTile {
  readonly patient: Patient;
  vitals: VitalValues;
  lastTs?: number;
  status?: PatientStatusEvent['status'];
  news2?: VitalsEvent['news2'];
}

interface PatientView extends Patient {
  readonly latest: { ts: number; vitals: VitalValues } | null;
}

const tiles = new Map<string, PatientTile>();
const alerts = new Map<string, Alert>();
const PRIORITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ward = element<HTMLDivElement>('ward');
const alertList = element<HTMLOListElement>('alerts');

function make<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function formatAge(ts: number | undefined): string {
  if (ts === undefined) return 'no data yet';
  const seconds = Math.max(0, Math.round((Date.now() - ts) / 1000));
  return seconds < 90 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

function unitLabel(unit: string): string {
  return unit === 'Cel' ? '°C' : unit === 'mm[Hg]' ? 'mmHg' : unit;
}

function worstAlertOf(patientId: string): Alert | undefined {
  return [...alerts.values()]
    .filter((alert) => alert.patientId === patientId)
    .sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority])[0];
}

function renderWard(): void {
  const ordered = [...tiles.values()].sort((a, b) => {
    const rank = (tile: PatientTile) => {
      const worst = worstAlertOf(tile.patient.id);
      return worst ? PRIORITY_ORDER[worst.priority] : 3;
    };
    return rank(a) - rank(b) || a.patient.name.localeCompare(b.patient.name);
  });
  ward.replaceChildren(...ordered.map(renderTile));
  element('no-patients').hidden = tiles.size > 0;
}

function renderTile(tile: PatientTile): HTMLElement {
  const { patient } = tile;
  const article = make('article', undefined, 'tile');
  article.dataset.patientId = patient.id;
  const worst = worstAlertOf(patient.id);
  if (worst) article.dataset.alert = worst.priority;
  article.setAttribute(
    'aria-label',
    `${patient.name}${worst ? `, ${worst.priority} priority alert` : ''}`,
  );
  article.append(make('h3', patient.name));
  const device = tile.status ? ` · device ${tile.status}` : '';
  if (tile.news2) {
    const news2 = make(
      'p',
      `NEWS2 ${tile.news2.total} · ${tile.news2.risk}${tile.news2.complete ? '' : ' (partial)'}`,
      'news2',
    );
    news2.dataset.risk = tile.news2.risk;
    article.append(news2);
  }
  article.append(
    make('p', `${patient.id} · ${patient.ward} · ${formatAge(tile.lastTs)}${device}`, 'meta'),
  );
  const list = make('dl', undefined, 'vitals');
  const breached = new Set(
    [...alerts.values()].filter((a) => a.patientId === patient.id).map((a) => a.vital),
  );
  for (const name of VITAL_NAMES) {
    const definition = VITAL_SIGNS[name];
    const value = tile.vitals[name];
    list.append(make('dt', definition.display));
    const cell = make('dd', value === undefined ? '—' : `${value} ${unitLabel(definition.unit)}`);
    cell.dataset.vital = name;
    cell.dataset.breach = String(breached.has(name));
    list.append(cell);
  }
  article.append(list);
  return article;
}

/** What the alert is about, in words a nurse reads at a glance. */
function describe(alert: Alert): string {
  if (alert.message) return alert.message;
  if (alert.vital === null) return `${alert.rule.replace('device.', 'device ')} (${alert.value})`;
  const definition = VITAL_SIGNS[alert.vital];
  const direction = alert.rule.endsWith('.below')
    ? 'below'
    : alert.rule.endsWith('.above')
      ? 'above'
      : alert.rule.split('.')[1];
  return `${definition.display} ${alert.value} ${unitLabel(definition.unit)} (${direction} ${alert.threshold})`;
}

function acknowledge(alertId: string): void {
  const by = (element<HTMLInputElement>('user').value || 'ward nurse').trim();
  socket.emit(CareEvent.AlertAck, { alertId, by }, (response: { ok: boolean; error?: string }) => {
    if (!response.ok) window.alert(`Could not acknowledge: ${response.error}`);
  });
}

function renderAlerts(): void {
  const active = [...alerts.values()].sort(
    (a, b) =>
      PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] ||
      b.raisedAt.localeCompare(a.raisedAt),
  );
  alertList.replaceChildren(
    ...active.map((alert) => {
      const item = make('li', undefined, 'alert');
      item.dataset.alertId = alert.id;
      item.dataset.priority = alert.priority;
      item.dataset.state = alert.state;
      const patient = tiles.get(alert.patientId)?.patient;
      const button = make('button', 'Acknowledge', 'ack');
      button.type = 'button';
      button.disabled = alert.state === 'acknowledged';
      button.addEventListener('click', () => acknowledge(alert.id));
      item.append(
        make('span', alert.priority, 'priority'),
        make('span', `${patient?.name ?? alert.patientId}: ${describe(alert)}`),
        make(
          'span',
          alert.state === 'acknowledged' ? `acknowledged by ${alert.acknowledgedBy}` : alert.state,
          'state',
        ),
        make('time', new Date(alert.raisedAt).toLocaleTimeString()),
        button,
      );
      return item;
    }),
  );
  element('alert-count').textContent = String(active.length);
  element('no-alerts').hidden = active.length > 0;
}

async function loadPatients(): Promise<void> {
  const response = await fetch('/api/patients');
  const patients = (await response.json()) as PatientView[];
  for (const patient of patients) {
    const known = tiles.get(patient.id);
    tiles.set(patient.id, {
      patient,
      vitals: known?.vitals ?? patient.latest?.vitals ?? {},
      lastTs: known?.lastTs ?? patient.latest?.ts,
      status: known?.status,
    });
  }
  renderWard();
  renderAlerts();
}

function onVitals(event: VitalsEvent): void {
  const tile = tiles.get(event.patientId);
  if (!tile) {
    void loadPatients();
    return;
  }
  tile.news2 = event.news2;
  tile.vitals = { ...tile.vitals, ...event.vitals };
  tile.lastTs = Date.parse(event.ts);
  renderWard();
}

function onAlert(alert: Alert): void {
  if (!lastChange || alert.updatedAt > lastChange) lastChange = alert.updatedAt;
  if (alert.state === 'resolved') alerts.delete(alert.id);
  else alerts.set(alert.id, alert);
  renderAlerts();
  renderWard();
}

function setConnection(state: 'live' | 'offline'): void {
  const badge = element('connection');
  badge.dataset.state = state;
  badge.textContent = state === 'live' ? 'Live' : 'Offline';
  element('offline-banner').hidden = state === 'live';
}

/** The `updatedAt` of the last alert change seen: on reconnecting, the server sends what changed since. */
let lastChange: string | undefined;
const socket = io(CARE_NAMESPACE, {
  transports: ['websocket'],
  auth: (callback) => callback(lastChange ? { since: lastChange } : {}),
});
socket.on('connect', () => {
  setConnection('live');
  void loadPatients();
});
socket.on('disconnect', (reason) => {
  setConnection('offline');
  // A server that shuts down (a restart) disconnects its sockets, which Socket.IO does not retry.
  if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1_000);
});
socket.on(CareEvent.Vitals, onVitals);
socket.on(CareEvent.AlertRaised, onAlert);
socket.on(CareEvent.AlertUpdated, onAlert);
socket.on(CareEvent.PatientStatus, (event: PatientStatusEvent) => {
  const tile = tiles.get(event.patientId);
  if (tile) tile.status = event.status;
  renderWard();
});
setInterval(renderWard, 5_000);
