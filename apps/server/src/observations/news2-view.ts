import type { News2Source, News2View } from '@vigil/contracts';
import {
  NEWS2_FRESHNESS_MS,
  type News2Inputs,
  type News2Score,
  type TimedValue,
} from '@vigil/rules';

/** The score with each input it could use, where the input came from, and whether it counted. */
export function news2View(score: News2Score, inputs: News2Inputs, now: number): News2View {
  const sources: Record<string, News2Source> = {};
  for (const [name, input] of Object.entries(inputs) as [string, TimedValue<unknown>][]) {
    if (!input) continue;
    sources[name] = {
      value: input.value as News2Source['value'],
      at: new Date(input.ts).toISOString(),
      ...(input.deviceId !== undefined && { deviceId: input.deviceId }),
      ...(input.observationId !== undefined && { observationId: input.observationId }),
      ...(input.recordedBy !== undefined && { recordedBy: input.recordedBy }),
      fresh: now - input.ts <= (input.freshForMs ?? NEWS2_FRESHNESS_MS),
    };
  }
  return {
    total: score.total,
    subscores: score.subscores,
    risk: score.risk,
    response: score.response,
    scale: score.scale,
    missing: score.missing,
    complete: score.complete,
    sources,
  };
}
