import { existsSync, readFileSync } from 'node:fs';

/** The closing "N passed, M failed" line read by CI, from a Vitest JSON report; a missing report is a failure. */
export function summarize(reportPath) {
  if (!existsSync(reportPath)) {
    console.log('0 passed, 1 failed');
    return false;
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const loadFailures = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
  const failed = report.numFailedTests + loadFailures;
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0;
}
