import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_TREND_SETTINGS, type TrendSettings } from '@vigil/rules';
import { DAY_STORIES, STORY_SECONDS, patientDays, type DayStory } from './patient-days';
import { SeededRandom } from './random';
import { evaluateStream, type PatientOutcome } from './trend-evaluation';

const USAGE = `npm run evaluate:trends -- [options]

Runs the trend watch, the thresholds and NEWS2 over simulated patient-days at full speed (no
server) and prints lead times and false trend alerts, for the default level and around it.

  --seed N             seed of the whole run (default 1)
  --stable N           stable patients (default 500)
  --stable-hours H     hours each stable patient is watched (default 48)
  --ill N              patients per deterioration story (default 100)
  --sample-seconds S   seconds between a wearable's samples (default 15)
  --smoothing-minutes M, --sustain-minutes M, --window-hours H
                       evaluate other settings than the defaults
  --out FILE           also write the report, as Markdown, to FILE`;

/** Levels of the trade-off curve; the default is among them. */
const LEVELS = [3, 4, 5, 6, 7];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function settingsAt(base: TrendSettings, level: number): TrendSettings {
  return { ...base, score: { ...base.score, level } };
}

interface Run {
  readonly settings: TrendSettings;
  readonly seed: number;
  readonly stable: number;
  readonly stableHours: number;
  readonly ill: number;
  readonly sampleEveryMs: number;
}

function plans(run: Run) {
  const random = new SeededRandom(run.seed);
  const start = Date.UTC(2026, 0, 5);
  const admitted = () => start + Math.floor(random.next() * DAY);
  const all: { story: DayStory; admittedAt: number; hours: number; onsetSeconds?: number }[] = [];
  for (let i = 0; i < run.stable; i += 1)
    all.push({ story: 'stable', admittedAt: admitted(), hours: run.stableHours });
  for (const story of DAY_STORIES) {
    if (story === 'stable') continue;
    for (let i = 0; i < run.ill; i += 1) {
      const onsetSeconds = Math.round(random.between(6, 30) * 3600);
      const hours = onsetSeconds / 3600 + STORY_SECONDS[story] / 3600 + 3;
      all.push({ story, admittedAt: admitted(), hours, onsetSeconds });
    }
  }
  return all.map((plan, i) => ({
    ...plan,
    sampleEveryMs: run.sampleEveryMs,
    seed: run.seed * 100_003 + i,
  }));
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const minutes = (ms: number) =>
  Number.isNaN(ms)
    ? '–'
    : ms === Infinity
      ? 'none came'
      : ms === -Infinity
        ? 'no trend'
        : `${Math.round(ms / 60_000)}`;

/**
 * Each patient's lead of her first trend alert after onset over a reference alert, sorted: +∞
 * when the reference never came, −∞ when no trend alert did.
 */
function leads(
  outcomes: readonly PatientOutcome[],
  level: number,
  reference: 'firstNews2Medium' | 'firstThreshold',
): number[] {
  return outcomes
    .map((outcome) => {
      const trendAt = outcome.trends[level].raises.find((ts) => ts >= (outcome.onset ?? 0));
      const referenceAt = outcome[reference];
      if (trendAt === undefined) return -Infinity;
      return referenceAt === undefined ? Infinity : referenceAt - trendAt;
    })
    .sort((a, b) => a - b);
}

function report(run: Run, outcomes: readonly PatientOutcome[], seconds: number): string {
  const lines: string[] = [];
  const stable = outcomes.filter((o) => o.plan.story === 'stable');
  const patientDays = stable.reduce((sum, o) => sum + o.plan.hours, 0) / 24;
  const defaultIndex = LEVELS.indexOf(run.settings.score.level);
  lines.push(
    `# Trend watch evaluation`,
    ``,
    `Seed ${run.seed}; a sample every ${run.sampleEveryMs / 1000} s; ${stable.length} stable patients × ${run.stableHours} h = ${patientDays.toFixed(0)} patient-days; ${run.ill} patients per deterioration story, onset 6–30 h after admission. Ran in ${seconds.toFixed(0)} s.`,
    ``,
    `Level ${run.settings.score.level} (the default where the table has no other), sustain ${run.settings.score.sustainMs / 60_000} min, smoothing ${run.settings.score.smoothingMs / 60_000} min, baseline window ${run.settings.baseline.windowMs / HOUR} h lagged ${run.settings.baseline.lagMs / HOUR} h.`,
    ``,
    `## Stable patients: false trend alerts`,
    ``,
    `| level | trend alerts | per patient-day | patients with any |`,
    `| ---: | ---: | ---: | ---: |`,
  );
  LEVELS.forEach((level, i) => {
    const raises = stable.reduce((sum, o) => sum + o.trends[i].raises.length, 0);
    const patients = stable.filter((o) => o.trends[i].raises.length > 0).length;
    lines.push(`| ${level} | ${raises} | ${(raises / patientDays).toFixed(3)} | ${patients} |`);
  });
  const thresholdPatients = stable.filter((o) => o.firstThreshold !== undefined).length;
  lines.push(
    ``,
    `For comparison, ${thresholdPatients} of ${stable.length} stable patients had at least one threshold alert (activity bursts, artifacts held long enough).`,
  );
  for (const story of DAY_STORIES) {
    if (story === 'stable') continue;
    const ill = outcomes.filter((o) => o.plan.story === story);
    const news2Reached = ill.filter((o) => o.firstNews2Medium !== undefined).length;
    const before = ill.reduce(
      (sum, o) => sum + o.trends[defaultIndex].raises.filter((ts) => ts < (o.onset ?? 0)).length,
      0,
    );
    const fromOnset = (at: (o: PatientOutcome) => number | undefined) => {
      const times = ill.flatMap((o) => {
        const ts = at(o);
        return ts === undefined ? [] : [ts - (o.onset ?? 0)];
      });
      return minutes(
        quantile(
          times.sort((a, b) => a - b),
          0.5,
        ),
      );
    };
    lines.push(
      ``,
      `## ${story} (${ill.length} patients; ${news2Reached} reached NEWS2 medium; ${before} trend alerts before onset at the default level)`,
      ``,
      `Median minutes from onset: first trend alert ${fromOnset((o) => o.trends[defaultIndex].raises.find((ts) => ts >= (o.onset ?? 0)))}, NEWS2 medium ${fromOnset((o) => o.firstNews2Medium)}, first threshold alert pointing at it ${fromOnset((o) => o.firstThreshold)}.`,
      ``,
      `Lead of the first trend alert after onset, minutes (positive: the trend alert came first).`,
      ``,
      `| level | before NEWS2 medium: p25 / median / p75 | no trend alert first | before first threshold alert pointing at it: p25 / median / p75 | no trend alert first |`,
      `| ---: | :---: | ---: | :---: | ---: |`,
    );
    LEVELS.forEach((level, i) => {
      const news2 = leads(ill, i, 'firstNews2Medium');
      const threshold = leads(ill, i, 'firstThreshold');
      const notFirst = (times: number[]) => times.filter((t) => t <= 0).length;
      const cell = (times: number[]) =>
        [0.25, 0.5, 0.75].map((q) => minutes(quantile(times, q))).join(' / ');
      lines.push(
        `| ${level} | ${cell(news2)} | ${notFirst(news2)} | ${cell(threshold)} | ${notFirst(threshold)} |`,
      );
    });
  }
  return lines.join('\n') + '\n';
}

function main(): void {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      stable: { type: 'string', default: '500' },
      'stable-hours': { type: 'string', default: '48' },
      ill: { type: 'string', default: '100' },
      'sample-seconds': { type: 'string', default: '15' },
      'smoothing-minutes': { type: 'string' },
      'sustain-minutes': { type: 'string' },
      'window-hours': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const { baseline, score } = DEFAULT_TREND_SETTINGS;
  const minutes = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value) * 60_000;
  const run: Run = {
    settings: {
      baseline: {
        ...baseline,
        windowMs:
          values['window-hours'] === undefined
            ? baseline.windowMs
            : Number(values['window-hours']) * HOUR,
      },
      score: {
        ...score,
        smoothingMs: minutes(values['smoothing-minutes'], score.smoothingMs),
        sustainMs: minutes(values['sustain-minutes'], score.sustainMs),
      },
    },
    seed: Number(values.seed),
    stable: Number(values.stable),
    stableHours: Number(values['stable-hours']),
    ill: Number(values.ill),
    sampleEveryMs: Number(values['sample-seconds']) * 1000,
  };
  const started = performance.now();
  const settings = LEVELS.map((level) => settingsAt(run.settings, level));
  const outcomes = plans(run).map((plan) =>
    evaluateStream(plan, patientDays(plan, new SeededRandom(plan.seed)), settings),
  );
  const text = report(run, outcomes, (performance.now() - started) / 1000);
  console.log(text);
  if (values.out) writeFileSync(values.out, text);
}

main();
