/**
 * `/config` — Parse.Config. Read-only here: its params are the server's own configuration that clients need
 * (the pipeline stages), which lives in the CRM_CONFIG file, so `PUT` answers 119 even with the master key.
 */
import { ErrorCode, ParseError } from '../../errors/parse-error.js';
import { pipelineParams } from '../../forecast/register.js';
import type { Route } from '../api-types.js';

export const configRoutes: Route[] = [
  {
    method: 'GET',
    path: '/config',
    handler: async (req) => ({ body: { params: pipelineParams(req.services), masterKeyOnly: {} } }),
  },
  {
    method: 'PUT',
    path: '/config',
    masterOnly: true,
    handler: async () => {
      throw new ParseError(
        ErrorCode.OPERATION_FORBIDDEN,
        'Config is read-only: the pipeline stages are set in the CRM_CONFIG file.',
      );
    },
  },
];
