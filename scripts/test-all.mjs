#!/usr/bin/env node
/**
 * `npm test`: builds what the end-to-end suites run, then every test suite of every workspace, then one
 * closing line `N passed, M failed` (the line CI reads). Each suite is a vitest run whose JSON report is summed
 * here; a suite that crashes or cannot load counts as a failure.
 */
import { spawnSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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

const vitest = (args) => ['npx', 'vitest', 'run', ...args, '--reporter=default', '--reporter=json'];

/** Each suite: a command; `report` says how it is told where to write its JSON report. */
const suites = [{ name: 'server (SQLite)', cwd: 'packages/server', command: vitest([]), report: 'flag' }];
if (postgresReachable()) {
  suites.push({
    name: 'server API suites on PostgreSQL',
    cwd: 'packages/server',
    command: vitest([
      'test/integration',
      'test/security',
      'test/auth',
      'test/livequery',
      'test/graphql',
      'test/functions',
      'test/forecast',
      'test/search',
      'test/duplicates',
      'test/importing',
      'test/cloud',
      'test/webhooks',
    ]),
    report: 'flag',
    env: { CRM_TEST_STORAGE: 'postgres' },
  });
} else {
  console.log('PostgreSQL suites skipped: nothing answers on 127.0.0.1:5432');
}
if (existsSync(path.join(root, 'packages/app/package.json'))) {
  suites.push({ name: 'app unit', cwd: '.', command: ['npm', 'run', 'test', '-w', '@crm/app'], report: 'env' });
  suites.push({ name: 'app end-to-end', cwd: '.', command: ['npm', 'run', 'e2e', '-w', '@crm/app'], report: 'env' });
}

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

console.log('=== build (server and app) ===');
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('build failed: counted as one failure');
  failed += 1;
  broken = true;
}

for (const suite of suites) {
  const outputFile = path.join(reports, `${suite.name.replace(/\W+/g, '-')}.json`);
  console.log(`\n=== ${suite.name} ===`);
  const [command, ...args] = suite.command;
  const reportArgs = suite.report === 'flag' ? [`--outputFile.json=${outputFile}`] : [];
  const run = spawnSync(command, [...args, ...reportArgs], {
    cwd: path.join(root, suite.cwd),
    stdio: 'inherit',
    env: { ...process.env, ...suite.env, VITEST_JSON_REPORT: outputFile },
  });
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
  if (run.status !== 0 && report.numFailedTests === 0 && loadFailures === 0) {
    console.error(`${suite.name}: exited ${run.status} with no failing test; counted as one failure`);
    failed += 1;
    broken = true;
  }
}

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || broken ? 1 : 0);
