import type { Alert, Patient, VitalName, VitalValues } from '@vigil/contracts';

/** The documented HTTP contract, as the console reads it. */
export interface PatientView extends Patient {
  readonly deviceIds: string[];
  readonly latest: { ts: number; vitals: VitalValues; battery?: number } | null;
}

export interface PatientHistory {
  readonly everyMs: number;
  readonly units: Record<VitalName, string>;
  readonly points: { ts: string; vitals: VitalValues }[];
}

export interface ThresholdRuleView {
  readonly vital: VitalName;
  readonly comparison: 'above' | 'below';
  readonly threshold: number;
  readonly priority: Alert['priority'];
}

export type AlertWithHistory = Alert & { history: { kind: string; at: string; by?: string }[] };

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const api = {
  patients: () => getJson<PatientView[]>('/api/patients'),
  history: (patientId: string, spanMs: number, everyMs: number) =>
    getJson<PatientHistory>(
      `/api/patients/${encodeURIComponent(patientId)}/vitals?from=${Date.now() - spanMs}&to=${Date.now()}&every=${everyMs}ms`,
    ),
  thresholds: (patientId: string) =>
    getJson<{ overrides: ThresholdRuleView[]; effective: ThresholdRuleView[] }>(
      `/api/patients/${encodeURIComponent(patientId)}/thresholds`,
    ),
  alertHistory: (patientId: string) =>
    getJson<AlertWithHistory[]>(`/api/alerts?patientId=${encodeURIComponent(patientId)}`),
};
