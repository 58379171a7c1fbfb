import type {
  AlertWithHistory,
  PatientHistory,
  PatientSummary,
  PatientThresholds,
} from '@vigil/contracts';
import { authorizedFetch } from './session';

async function getJson<T>(path: string): Promise<T> {
  const response = await authorizedFetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** The documented HTTP contract, as the console reads it; the types are the server's own. */
export const api = {
  patients: () => getJson<PatientSummary[]>('/api/patients'),
  history: (patientId: string, spanMs: number, everyMs: number) =>
    getJson<PatientHistory>(
      `/api/patients/${encodeURIComponent(patientId)}/vitals?from=${Date.now() - spanMs}&to=${Date.now()}&every=${everyMs}ms`,
    ),
  thresholds: (patientId: string) =>
    getJson<PatientThresholds>(`/api/patients/${encodeURIComponent(patientId)}/thresholds`),
  alertHistory: (patientId: string) =>
    getJson<AlertWithHistory[]>(`/api/alerts?patientId=${encodeURIComponent(patientId)}`),
};
