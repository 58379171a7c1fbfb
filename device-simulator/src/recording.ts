import { VITAL_NAMES, type VitalName } from '@vigil/contracts';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import type { ScenarioName } from './patient-scenarios';
import type { AdmittedPatient } from '@vigil/client';

export interface RecordedPatient extends AdmittedPatient {
  readonly scenario?: ScenarioName;
}

/** First line of a recording. */
export interface RecordingHeader {
  readonly vigilRecording: 1;
  readonly startedAt: string;
  readonly seed?: number;
  readonly patients: readonly RecordedPatient[];
}

/** One message a wearable published, `at` milliseconds after the run started. */
export interface RecordedMessage {
  readonly at: number;
  readonly deviceId: string;
  readonly channel: 'vitals' | 'status';
  readonly payload: Record<string, unknown>;
}

export interface Recording {
  readonly header: RecordingHeader;
  readonly messages: RecordedMessage[];
}

/** Appends a run to an NDJSON file: the header, then one line per published message. */
export class RecordingWriter {
  private readonly out: WriteStream;

  constructor(file: string, header: RecordingHeader) {
    this.out = createWriteStream(file);
    this.out.write(`${JSON.stringify(header)}\n`);
  }

  write(message: RecordedMessage): void {
    this.out.write(`${JSON.stringify(message)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

export function readRecording(file: string): Recording {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const header = JSON.parse(lines[0] ?? '{}') as RecordingHeader;
  if (header.vigilRecording !== 1) throw new Error(`${file} is not a Vigil recording (NDJSON)`);
  const messages = lines.slice(1).map((line) => JSON.parse(line) as RecordedMessage);
  return { header, messages: messages.sort((a, b) => a.at - b.at) };
}

/**
 * Moves a recorded payload to replay time: every timestamp, also those inside a batch, keeps its
 * distance from the recording's start, divided by the replay speed, from `replayStart`.
 */
export function shiftPayload(
  payload: Record<string, unknown>,
  recordStart: number,
  replayStart: number,
  speed: number,
): Record<string, unknown> {
  const shift = (ts: unknown) =>
    typeof ts === 'number' ? Math.round(replayStart + (ts - recordStart) / speed) : ts;
  const samples = payload.samples as Record<string, unknown>[] | undefined;
  if (samples) return { ...payload, samples: samples.map((s) => ({ ...s, ts: shift(s.ts) })) };
  return 'ts' in payload ? { ...payload, ts: shift(payload.ts) } : payload;
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

function parseTime(raw: string): number {
  const number = Number(raw);
  if (raw !== '' && Number.isFinite(number)) return number < 1e11 ? number * 1000 : number;
  return Date.parse(raw);
}

/**
 * A CSV export of a monitor or another system as a recording of one wearable. `mapping` names,
 * for `ts` and each vital, the column that holds it (`ts=Time,heartRate=HR,spo2=SpO2`); times are
 * ISO-8601, epoch milliseconds or epoch seconds. Empty cells are left out of their sample.
 */
export function importCsv(text: string, mapping: string, patient: RecordedPatient): Recording {
  const map = new Map(
    mapping
      .split(',')
      .map((pair) => pair.split('=').map((part) => part.trim()) as [string, string]),
  );
  const unknown = [...map.keys()].filter(
    (key) => key !== 'ts' && !(VITAL_NAMES as readonly string[]).includes(key),
  );
  if (!map.has('ts')) throw new Error('--map must name the time column: ts=<column>');
  if (unknown.length) throw new Error(`--map names unknown vitals: ${unknown.join(', ')}`);
  const [headerLine, ...rows] = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = parseCsvLine(headerLine ?? '');
  const index = (column: string) => {
    const at = columns.indexOf(column);
    if (at < 0) throw new Error(`the CSV has no column "${column}" (it has ${columns.join(', ')})`);
    return at;
  };
  const tsColumn = index(map.get('ts') as string);
  const vitalColumns = [...map.entries()]
    .filter(([key]) => key !== 'ts')
    .map(([vital, column]) => [vital as VitalName, index(column)] as const);
  const samples = rows.map((row, line) => {
    const cells = parseCsvLine(row);
    const ts = parseTime(cells[tsColumn] ?? '');
    if (Number.isNaN(ts)) throw new Error(`CSV line ${line + 2}: no time in "${cells[tsColumn]}"`);
    const vitals = Object.fromEntries(
      vitalColumns
        .filter(([, column]) => (cells[column] ?? '') !== '')
        .map(([vital, column]) => [vital, Number(cells[column])]),
    );
    return { ts, vitals };
  });
  samples.sort((a, b) => a.ts - b.ts);
  const first = samples[0]?.ts ?? Date.now();
  return {
    header: { vigilRecording: 1, startedAt: new Date(first).toISOString(), patients: [patient] },
    messages: samples.map((sample, i) => ({
      at: sample.ts - first,
      deviceId: patient.deviceId,
      channel: 'vitals',
      payload: { ts: sample.ts, seq: i + 1, vitals: sample.vitals },
    })),
  };
}
