/**
 * The forecast feature's wiring: stage-history and rollup hooks on Deal (the rollup rebuilt at start) and the
 * cloud functions `pipelineSummary` and `pipelineStages`. Everything reads through the caller's Auth (see pipeline-summary.ts).
 */
import type { Services } from '../service/services.js';
import { pipelineSummary } from './pipeline-summary.js';
import { stageHistoryHooks } from './stage-history.js';
import { rebuildRollup, rollupHooks } from './rollup.js';

/** What clients learn about the pipeline: `GET /parse/config` params and the `pipelineStages` function. */
export function pipelineParams(services: Pick<Services, 'config'>): { stages: unknown[]; staleAfterDays: number | null } {
  return { stages: services.config.stages.map((s) => ({ ...s })), staleAfterDays: services.config.staleAfterDays };
}

export async function registerForecast(services: Services): Promise<void> {
  services.hooks.register('Deal', stageHistoryHooks(services.schema));
  // After the history hooks, so a write's rollup delta sees the stageChangedAt they set.
  services.hooks.register('Deal', rollupHooks(services.storage.dialect, services.config.stages));
  await rebuildRollup(services.storage, services.schema, services.config.stages);
  services.functions.define('pipelineSummary', (request) =>
    pipelineSummary(request.auth, services.storage, services.schema, services.config.stages, request.params),
  );
  services.functions.define('pipelineStages', () => pipelineParams(services));
}
