/**
 * The forecast feature's wiring: stage-history and rollup hooks on Deal (the rollup rebuilt at start, its deltas
 * folded by `services.rollupFolder`, which the server starts and stops) and the cloud functions
 * `pipelineSummary` and `pipelineStages`. Everything reads through the caller's Auth (see pipeline-summary.ts).
 */
import type { Services } from '../service/services.js';
import { pipelineSummary } from './pipeline-summary.js';
import { stageHistoryHooks } from './stage-history.js';
import { foldRollup, rebuildRollup, rollupHooks } from './rollup.js';
import { RollupFolder } from './rollup-folder.js';

/** What clients learn about the pipeline: `GET /parse/config` params and the `pipelineStages` function. */
export function pipelineParams(services: Pick<Services, 'config'>): { stages: unknown[]; staleAfterDays: number | null } {
  return { stages: services.config.stages.map((s) => ({ ...s })), staleAfterDays: services.config.staleAfterDays };
}

/** The rollup's background fold, not started yet (a server starts it with its logger; CLI commands never do). */
export const createRollupFolder = (storage: Services['storage']) => new RollupFolder(() => foldRollup(storage));

export async function registerForecast(services: Services): Promise<void> {
  services.hooks.register('Deal', stageHistoryHooks(services.schema));
  // After the history hooks, so a write's rollup delta sees the stageChangedAt they set.
  const folder = services.rollupFolder;
  services.hooks.register(
    'Deal',
    rollupHooks(services.storage.dialect, services.config.stages, () => folder.noteDelta()),
  );
  await rebuildRollup(services.storage, services.schema, services.config.stages);
  services.functions.define('pipelineSummary', (request) =>
    pipelineSummary(request.auth, services.storage, services.schema, services.config.stages, request.params),
  );
  services.functions.define('pipelineStages', () => pipelineParams(services));
}
