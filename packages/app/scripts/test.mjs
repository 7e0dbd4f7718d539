#!/usr/bin/env node
/**
 * `npm test`: the unit tests once, headless (Vitest in jsdom through `ng test`). The JSON report goes to
 * VITEST_JSON_REPORT when set (for the repository's summary), else to a temp file; either way the last line
 * printed is "N passed, M failed, K skipped".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithDeadline } from './run-with-deadline.mjs';
import { summarize } from './summarize-report.mjs';

const app = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ng = fileURLToPath(new URL(import.meta.resolve('@angular/cli/bin/ng.js')));
const report = path.resolve(
  process.env.VITEST_JSON_REPORT || path.join(mkdtempSync(path.join(tmpdir(), 'crm-app-tests-')), 'report.json'),
);

const code = await runWithDeadline(
  process.execPath,
  [ng, 'test', '--watch=false', '--progress=false', '--reporters=json', '--reporters=default', `--output-file=${report}`],
  {
    seconds: Number(process.env.TEST_DEADLINE_SECONDS ?? 300),
    cwd: app,
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', CI: process.env.CI ?? 'true' },
  },
);
const passed = summarize(report);
process.exit(code !== 0 ? code : passed ? 0 : 1);
