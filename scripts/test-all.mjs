#!/usr/bin/env node
/**
 * `npm test`: every test suite of every workspace, then one closing line `N passed, M failed` (the line CI
 * reads). Each suite is a vitest run whose JSON report is summed here.
 */
import { spawnSync, execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const reports = mkdtempSync(path.join(tmpdir(), 'crm-test-reports-'));

function postgresReachable() {
  try {
    execSync('pg_isready -h 127.0.0.1 -p 5432', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** name, workspace folder, vitest arguments, extra environment */
const suites = [{ name: 'server (SQLite)', cwd: 'packages/server', args: [], env: {} }];
if (postgresReachable()) {
  suites.push({
    name: 'server API suites on PostgreSQL',
    cwd: 'packages/server',
    args: ['test/integration', 'test/security', 'test/auth', 'test/livequery', 'test/graphql'],
    env: { CRM_TEST_STORAGE: 'postgres' },
  });
} else {
  console.log('PostgreSQL suites skipped: nothing answers on 127.0.0.1:5432');
}

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

for (const suite of suites) {
  const outputFile = path.join(reports, `${suite.name.replace(/\W+/g, '-')}.json`);
  console.log(`\n=== ${suite.name} ===`);
  const run = spawnSync(
    'npx',
    ['vitest', 'run', ...suite.args, '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`],
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
