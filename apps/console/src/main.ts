import {
  CARE_NAMESPACE,
  CARE_UNAUTHORIZED,
  CLINICAL_ROLES,
  CareEvent,
  type AlarmPauseEvent,
  type StandbyEvent,
  type Alert,
  type AlertAckResponse,
  type PatientLeftEvent,
  type PatientStatusEvent,
  type PatientUpdatedEvent,
  type UserView,
  type VitalsEvent,
} from '@vigil/contracts';
import { io } from 'socket.io-client';
import { AlarmSound } from './alarm-sound';
import { AlertPanel } from './alert-panel';
import { api } from './api';
import { byId, make } from './dom';
import { PatientView } from './patient-view';
import { showAlarmLoad } from './alarm-load-view';
import { admitForm } from './stay-actions';
import { tickCountdowns } from './alarm-pause';
import { accessToken, refresh, signIn, signOut, signedInUser } from './session';
import { WardView } from './ward-view';

/** Administrators manage every ward; charge nurses their own (the server decides in any case). */
function canManage(ward: string): boolean {
  const user = signedInUser();
  return user?.role === 'admin' || (user?.role === 'charge-nurse' && user.wards.includes(ward));
}
/** Nurses and charge nurses of her ward record observations; the server decides in any case. */
function canObserve(ward: string): boolean {
  const user = signedInUser();
  return Boolean(user && CLINICAL_ROLES.includes(user.role) && user.wards.includes(ward));
}
const sound = new AlarmSound();
const ward: WardView = new WardView((): Alert[] => panel.openAlerts(), canObserve);
const panel: AlertPanel = new AlertPanel(
  sound,
  (id: string): string => ward.nameOf(id),
  acknowledge,
  (): void => ward.render(),
);
const patientView = new PatientView(canManage, canObserve, (patientId) => {
  // Her tile shows when the next set is due.
  void api.patient(patientId).then(
    (summary) => ward.upsert(summary),
    () => undefined,
  );
});

const socket = io(CARE_NAMESPACE, {
  transports: ['websocket'],
  autoConnect: false,
  // A screen that is not live is a risk: retry soon, and at least every 3 s.
  reconnectionDelay: 500,
  reconnectionDelayMax: 3_000,
  // The token travels in the handshake, not the URL. On reconnecting, the server also sends the
  // alerts closed while this screen was away.
  auth: (callback) =>
    callback({
      token: accessToken() ?? '',
      ...(panel.lastChange && { since: panel.lastChange }),
    }),
});

function acknowledge(alertId: string): void {
  socket.emit(CareEvent.AlertAck, { alertId }, (response: AlertAckResponse) => {
    if (!response.ok)
      byId('announcer').append(make('p', `Could not acknowledge: ${response.error}`));
  });
}

async function loadWard(): Promise<void> {
  const patients = await api.patients();
  // Patients transferred or discharged while this screen was away are no longer its own.
  for (const patientId of ward.replace(patients)) panel.forgetPatient(patientId);
  // Alerts may have arrived before the names they refer to: render them again with names.
  panel.render();
  await Promise.all(
    patients.map(async (patient) => {
      const history = await api.history(patient.id, 30 * 60_000, 30_000).catch(() => undefined);
      if (history) ward.seedTrend(patient.id, history.points);
    }),
  );
  ward.render();
}

function setConnection(live: boolean): void {
  const badge = byId('connection');
  badge.dataset.state = live ? 'live' : 'offline';
  badge.textContent = live ? 'Live' : 'Offline';
  byId('offline-banner').hidden = live;
}

socket.on('connect', () => {
  setConnection(true);
  void loadWard();
});
socket.on('disconnect', (reason) => {
  setConnection(false);
  // The server ends a connection when it restarts, when the token expires or when the user's
  // access changes; Socket.IO does not retry those. Renew the token, then reconnect.
  if (reason === 'io server disconnect') setTimeout(() => void reconnect(), 1_000);
});
socket.on('connect_error', (error) => {
  if (error.message === CARE_UNAUTHORIZED) void reconnect();
});

async function reconnect(): Promise<void> {
  if (await refresh()) socket.connect();
  else showSignIn('Your session has ended. Sign in again.');
}
socket.on(CareEvent.AlertRaised, (alert: Alert) => panel.receive(alert, true));
socket.on(CareEvent.AlertUpdated, (alert: Alert) => panel.receive(alert, false));
socket.on(CareEvent.Vitals, (event: VitalsEvent) => {
  if (ward.has(event.patientId)) ward.vitals(event);
  else void loadWard();
});
socket.on(CareEvent.PatientStatus, (event: PatientStatusEvent) => ward.status(event));
socket.on(CareEvent.PatientUpdated, ({ patient }: PatientUpdatedEvent) => {
  void api.patient(patient.id).then(
    (summary) => {
      ward.upsert(summary);
      // Her alerts may have arrived before her name: show them again with it.
      panel.render();
    },
    () => undefined,
  );
});
socket.on(CareEvent.AlarmPause, (event: AlarmPauseEvent) => ward.pause(event));
socket.on(CareEvent.Standby, (event: StandbyEvent) => ward.standby(event));
socket.on(CareEvent.PatientLeft, (event: PatientLeftEvent) => {
  ward.remove(event.patientId);
  panel.forgetPatient(event.patientId);
  const where = event.toWard ? ` to ${event.toWard}` : '';
  byId('announcer').append(make('p', `${ward.nameOf(event.patientId)} ${event.reason}${where}.`));
  if (patientView.shown === event.patientId && location.hash !== '#/') {
    byId('notice').textContent =
      `This patient was ${event.reason}${where}; she is no longer on your wards.`;
    location.hash = '#/';
  }
});

/** Charge nurses, administrators and auditors read a ward's alarm load. */
function readsAlarmLoad(user: UserView | undefined): boolean {
  return user?.role === 'charge-nurse' || user?.role === 'admin' || user?.role === 'auditor';
}

function route(): void {
  const match = /^#\/patients\/(.+)$/.exec(location.hash);
  const report = location.hash === '#/reports/alarm-load';
  byId('ward-view').hidden = Boolean(match) || report;
  byId('patient-view').hidden = !match;
  byId('report-view').hidden = !report;
  if (!match) patientView.shown = undefined;
  if (report) {
    const user = signedInUser();
    if (readsAlarmLoad(user))
      void showAlarmLoad(user && user.wards.length > 0 ? user.wards : ward.wardNames());
  }
  if (match) {
    byId('notice').textContent = '';
    const patientId = decodeURIComponent(match[1]);
    void patientView.show(patientId, ward.nameOf(patientId), '1 h');
  }
}
window.addEventListener('hashchange', route);
route();

const mute = byId<HTMLButtonElement>('mute');
mute.addEventListener('click', () => {
  sound.muted = !sound.muted;
  mute.setAttribute('aria-pressed', String(sound.muted));
  mute.textContent = sound.muted ? 'Sound muted (this session)' : 'Mute sound';
});
// Browsers hold sound back until the first click or key press: say so, and take that first
// interaction, wherever it lands, to allow it.
const unlock = byId<HTMLButtonElement>('sound-unlock');
const allowSound = () => void sound.unlock().then(() => (unlock.hidden = !sound.blocked));
unlock.hidden = !sound.blocked;
for (const event of ['pointerdown', 'keydown'] as const)
  document.addEventListener(event, allowSound, { once: true });
setInterval(() => ward.render(), 5_000);
setInterval(() => tickCountdowns(), 1_000);

function showSignIn(message = ''): void {
  byId('app').hidden = true;
  byId('sign-in').hidden = false;
  byId('sign-in-error').textContent = message;
  byId<HTMLInputElement>('username').focus();
}

function start(user: UserView): void {
  byId('sign-in').hidden = true;
  byId('app').hidden = false;
  const scope = user.wards.length > 0 ? user.wards.join(', ') : 'all wards';
  byId('signed-in').textContent = `${user.displayName} · ${user.role} · ${scope}`;
  panel.canAcknowledge = CLINICAL_ROLES.includes(user.role);
  byId('report-link').hidden = !readsAlarmLoad(user);
  const managed =
    user.role === 'admin' ? [] : user.role === 'charge-nurse' ? user.wards : undefined;
  byId('manage-ward').replaceChildren(
    ...(managed ? [admitForm(managed, () => void loadWard())] : []),
  );
  panel.render();
  socket.connect();
}

byId<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const password = byId<HTMLInputElement>('password');
  void signIn(byId<HTMLInputElement>('username').value.trim(), password.value).then((result) => {
    password.value = '';
    if (typeof result === 'string') showSignIn(result);
    else start(result);
  });
});
byId('sign-out').addEventListener('click', () => {
  socket.disconnect();
  // A fresh page leaves no patient data of this session on screen or in memory.
  void signOut().then(() => location.reload());
});

// A reloaded page resumes its session from the refresh cookie.
void refresh().then(() => {
  const user = signedInUser();
  if (user) start(user);
  else showSignIn();
});
