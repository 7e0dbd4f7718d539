#!/usr/bin/env node
/**
 * `npm test`: every test suite of every workspace, then one closing line `N passed, M failed` (the line CI
 * reads). Each suite is a vitest run whose JSON report is summed here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const reports = mkdtempSync(path.join(tmpdir(), 'crm-test-reports-'));

/** name, workspace folder, extra environment */
const suites = [{ name: 'server', cwd: 'packages/server', env: {} }];

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

for (const suite of suites) {
  const outputFile = path.join(reports, `${suite.name}.json`);
  console.log(`\n=== ${suite.name} ===`);
  const run = spawnSync(
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`],
    { cwd: path.join(root, suite.cwd), stdio: 'inherit', env: { ...process.env, ...suite.env } },
  );
  if (!existsSync(outputFile)) {
    console.error(`${suite.name}: no report (exit ${run.status}); counted as one failure`);
    failed += 1;
    broken = true;
    continue;
  }
  const report = JSON.parse(readFileSync(outputFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  // A file that fails to load counts no test but must fail the run.
  const loadFailures = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
  failed += loadFailures;
  if (run.status !== 0 && report.numFailedTests === 0 && loadFailures === 0) broken = true;
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || broken ? 1 : 0);
