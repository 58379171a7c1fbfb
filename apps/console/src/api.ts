import type {
  AlarmLoadReport,
  AlarmPause,
  Standby,
  AlertWithHistory,
  Device,
  DeviceBindingPeriod,
  News2View,
  Observation,
  Patient,
  PatientHistory,
  PatientSummary,
  PatientThresholds,
  PatientTrendView,
  Stay,
} from '@vigil/contracts';
import { authorizedFetch } from './session';

async function getJson<T>(path: string): Promise<T> {
  const response = await authorizedFetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** A change Vigil may refuse: the refusal's message, as the server words it, for the user. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

async function postJson<T>(path: string, body: unknown, method?: string): Promise<Outcome<T>> {
  const response = await authorizedFetch(path, body, method);
  const answer = (await response.json().catch(() => ({}))) as T & { message?: string[] };
  if (response.ok) return { ok: true, value: answer };
  return { ok: false, message: answer.message?.join('; ') ?? `HTTP ${response.status}` };
}

const patientPath = (id: string) => `/api/patients/${encodeURIComponent(id)}`;
const devicePath = (id: string) => `/api/devices/${encodeURIComponent(id)}`;

/** The documented HTTP contract, as the console reads it; the types are the server's own. */
export const api = {
  patients: () => getJson<PatientSummary[]>('/api/patients'),
  patient: (patientId: string) => getJson<PatientSummary>(patientPath(patientId)),
  history: (patientId: string, spanMs: number, everyMs: number) =>
    getJson<PatientHistory>(
      `${patientPath(patientId)}/vitals?from=${Date.now() - spanMs}&to=${Date.now()}&every=${everyMs}ms`,
    ),
  trends: (patientId: string) => getJson<PatientTrendView>(`${patientPath(patientId)}/trends`),
  thresholds: (patientId: string) =>
    getJson<PatientThresholds>(`${patientPath(patientId)}/thresholds`),
  alertHistory: (patientId: string) =>
    getJson<AlertWithHistory[]>(`/api/alerts?patientId=${encodeURIComponent(patientId)}`),
  alarmLoad: (ward: string, from: number, to: number) =>
    getJson<AlarmLoadReport>(
      `/api/reports/alarm-load?ward=${encodeURIComponent(ward)}&from=${from}&to=${to}`,
    ),
  stays: (patientId: string) => getJson<Stay[]>(`${patientPath(patientId)}/stays`),
  devices: () => getJson<Device[]>('/api/devices'),
  deviceHistory: (deviceId: string) =>
    getJson<DeviceBindingPeriod[]>(`${devicePath(deviceId)}/history`),
  admit: (patient: Record<string, unknown>) => postJson<Patient>('/api/patients', patient),
  transfer: (patientId: string, place: { ward: string; bed?: string }) =>
    postJson<Patient>(`${patientPath(patientId)}/transfer`, place),
  discharge: (patientId: string, reason?: string) =>
    postJson<Patient>(`${patientPath(patientId)}/discharge`, reason ? { reason } : {}),
  bind: (deviceId: string, patientId: string) =>
    postJson<Device>(`${devicePath(deviceId)}/bind`, { patientId }),
  unbind: (deviceId: string) => postJson<Device>(`${devicePath(deviceId)}/unbind`, {}),
  pauseAlarms: (patientId: string, pause: { minutes: number; scope: string; reason: string }) =>
    postJson<AlarmPause>(`${patientPath(patientId)}/alarm-pause`, pause),
  resumeAlarms: (patientId: string) =>
    postJson<void>(`${patientPath(patientId)}/alarm-pause`, undefined, 'DELETE'),
  standby: (patientId: string, standby: { until: string; reason: string }) =>
    postJson<Standby>(`${patientPath(patientId)}/standby`, standby),
  endStandby: (patientId: string) =>
    postJson<void>(`${patientPath(patientId)}/standby`, undefined, 'DELETE'),
  observations: (patientId: string) =>
    getJson<Observation[]>(`${patientPath(patientId)}/observations`),
  previewObservation: (patientId: string, set: unknown) =>
    postJson<News2View>(`${patientPath(patientId)}/observations/preview`, set),
  recordObservation: (patientId: string, set: unknown) =>
    postJson<Observation>(`${patientPath(patientId)}/observations`, set),
};
