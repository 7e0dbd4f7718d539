/**
 * The forecast feature's wiring: stage-history hooks on Deal and the cloud functions `pipelineSummary` and
 * `pipelineStages`. Everything reads through the caller's Auth (see pipeline-summary.ts).
 */
import type { Services } from '../service/services.js';
import { pipelineSummary } from './pipeline-summary.js';
import { stageHistoryHooks } from './stage-history.js';

/** What clients learn about the pipeline: `GET /parse/config` params and the `pipelineStages` function. */
export function pipelineParams(services: Pick<Services, 'config'>): { stages: unknown[]; staleAfterDays: number | null } {
  return { stages: services.config.stages.map((s) => ({ ...s })), staleAfterDays: services.config.staleAfterDays };
}

export function registerForecast(services: Services): void {
  services.hooks.register('Deal', stageHistoryHooks(services.schema));
  services.functions.define('pipelineSummary', (request) =>
    pipelineSummary(request.auth, services.storage, services.schema, services.config.stages, request.params),
  );
  services.functions.define('pipelineStages', () => pipelineParams(services));
}
