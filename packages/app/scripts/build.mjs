#!/usr/bin/env node
/** `npm run build`: the production build (budgets enforced by angular.json), under a deadline. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithDeadline } from './run-with-deadline.mjs';

const app = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const code = await runWithDeadline(
  process.execPath,
  [fileURLToPath(new URL(import.meta.resolve('@angular/cli/bin/ng.js'))), 'build', '--configuration', 'production'],
  {
    seconds: Number(process.env.BUILD_DEADLINE_SECONDS ?? 300),
    cwd: app,
    env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
  },
);
process.exit(code);
