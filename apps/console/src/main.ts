import {
  CARE_NAMESPACE,
  CARE_UNAUTHORIZED,
  CLINICAL_ROLES,
  CareEvent,
  type Alert,
  type AlertAckResponse,
  type PatientStatusEvent,
  type UserView,
  type VitalsEvent,
} from '@vigil/contracts';
import { io } from 'socket.io-client';
import { AlarmSound } from './alarm-sound';
import { AlertPanel } from './alert-panel';
import { api } from './api';
import { byId, make } from './dom';
import { PatientView } from './patient-view';
import { accessToken, refresh, signIn, signOut, signedInUser } from './session';
import { WardView } from './ward-view';

const sound = new AlarmSound();
const ward: WardView = new WardView((): Alert[] => panel.openAlerts());
const panel: AlertPanel = new AlertPanel(
  sound,
  (id: string): string => ward.nameOf(id),
  acknowledge,
  (): void => ward.render(),
);
const patientView = new PatientView();

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
  ward.load(patients);
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

function route(): void {
  const match = /^#\/patients\/(.+)$/.exec(location.hash);
  byId('ward-view').hidden = Boolean(match);
  byId('patient-view').hidden = !match;
  if (match) {
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
