#!/usr/bin/env node
/**
 * `npm run e2e`: the browser flow against the real server. Builds nothing: it needs the app build
 * (npm run build -w @crm/app) and the server build (npm run build -w @crm/server). Ends with "N passed, M failed".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithDeadline } from './run-with-deadline.mjs';
import { summarize } from './summarize-report.mjs';

const app = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const vitest = path.join(path.dirname(fileURLToPath(import.meta.resolve('vitest/package.json'))), 'vitest.mjs');
const report = path.resolve(
  process.env.VITEST_JSON_REPORT || path.join(mkdtempSync(path.join(tmpdir(), 'crm-app-e2e-')), 'report.json'),
);

const code = await runWithDeadline(
  process.execPath,
  [vitest, 'run', '--config', 'e2e/vitest.config.ts', ...process.argv.slice(2)],
  {
    seconds: Number(process.env.E2E_DEADLINE_SECONDS ?? 300),
    cwd: app,
    env: { ...process.env, VITEST_JSON_REPORT: report },
  },
);
const passed = summarize(report);
process.exit(code !== 0 ? code : passed ? 0 : 1);
