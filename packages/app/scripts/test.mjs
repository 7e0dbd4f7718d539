#!/usr/bin/env node
/**
 * `npm test`: the unit tests once, headless (Vitest in jsdom through `ng test`). With VITEST_JSON_REPORT set,
 * Vitest also writes its JSON report there, for the repository's test summary.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithDeadline } from './run-with-deadline.mjs';

const app = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const ng = fileURLToPath(new URL(import.meta.resolve('@angular/cli/bin/ng.js')));
const report = process.env.VITEST_JSON_REPORT;
const args = ['test', '--watch=false', '--progress=false'];
if (report) args.push('--reporters=json', '--reporters=default', `--output-file=${path.resolve(report)}`);
else args.push('--reporters=default');

const code = await runWithDeadline(process.execPath, [ng, ...args], {
  seconds: Number(process.env.TEST_DEADLINE_SECONDS ?? 300),
  cwd: app,
  env: { ...process.env, NG_CLI_ANALYTICS: 'false', CI: process.env.CI ?? 'true' },
});
process.exit(code);
