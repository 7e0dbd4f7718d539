import { startOurs } from './ours.js';
import { startParseServer } from './parse-server.js';
import type { RunningTarget, StartOptions, TargetName } from './types.js';

export const startTarget: Record<TargetName, (opts: StartOptions) => Promise<RunningTarget>> = {
  ours: startOurs,
  'parse-server': startParseServer,
};
