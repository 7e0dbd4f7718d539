/** Appends one dated section per run to docs/PERFORMANCE.md (the file's history is the trend). */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { comparisonTable, resultsTable, seedTable } from './report.js';
import { DISTURBED_PERCENT, type RunResult } from './results.js';
import { renderMarkdown } from './table.js';

export const PERFORMANCE_DOC = fileURLToPath(new URL('../../../docs/PERFORMANCE.md', import.meta.url));

const HEADER = `# Performance

Benchmark of our server against parse-server 9 on PostgreSQL, produced by \`npm run bench\`
(packages/bench). Each run appends a dated section below.
`;

function section(run: RunResult): string {
  const s = run.sizes;
  const m = run.machine;
  const lines = [
    `## ${run.date.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`${run.command}\` at revision ${run.revision}`,
    `- Machine: ${m.cpus} CPUs (nproc; ${m.cpuModel}), ${m.memGiB} GiB RAM, ${m.os}, Node ${m.node}; autocannon runs on the same machine.`,
    `- Data: ${s.users} reps + 1 admin (signed up first), ${s.companies.toLocaleString('en-US')} companies, ${s.contacts.toLocaleString('en-US')} contacts, ` +
      `${s.deals.toLocaleString('en-US')} deals, ${s.activities.toLocaleString('en-US')} activities (PRNG seed ${run.seed}).`,
    `- Load: ${run.load.connections} connections, ${run.load.warmupS} s warm-up + ${run.load.durationS} s per scenario, ` +
      `as rep \`${run.rep.username}\` (owns ${run.rep.dealsOwned.toLocaleString('en-US')} deals).`,
    ...run.targets.map(
      (t) =>
        `- ${t.name}: ${t.error ? `FAILED — ${t.error.split('\n')[0]}` : t.description} ` +
        `(machine ${Math.round(t.busyBeforePercent)}% busy just before it started)`,
    ),
    '',
    '### Seed (REST /batch, 50 per batch, 4 in flight)',
    '',
    renderMarkdown(seedTable(run)),
    '',
    '### Results',
    '',
    renderMarkdown(resultsTable(run)),
    '',
  ];
  if (run.targets.length > 1) {
    lines.push('### ours / parse-server (req/s) and the issue goals', '', renderMarkdown(comparisonTable(run)), '');
  }
  const problems = run.targets.flatMap((t) => [
    ...(t.error ? [`- **${t.name} failed**: ${t.error.split('\n').slice(0, 3).join(' ')}`] : []),
    ...t.scenarios
      .filter((x) => !x.valid)
      .map((x) => `- **${t.name} / ${x.label} invalid**: ${x.problems.map((p) => p.slice(0, 400)).join('; ')}`),
  ]);
  const disturbed = run.targets.flatMap((t) =>
    t.scenarios.filter((x) => (x.measurement?.otherCpuPercent ?? 0) > DISTURBED_PERCENT).map((x) => `${t.name} / ${x.label}`),
  );
  if (disturbed.length > 0) {
    problems.push(
      `- other processes used > ${DISTURBED_PERCENT} % of a core during: ${disturbed.join(', ')} (shared machine; treat as noisy)`,
    );
  }
  if (problems.length > 0) lines.push('### Problems', '', ...problems, '');
  return lines.join('\n');
}

export function appendToPerformanceDoc(run: RunResult): void {
  if (!existsSync(PERFORMANCE_DOC)) writeFileSync(PERFORMANCE_DOC, HEADER);
  appendFileSync(PERFORMANCE_DOC, `\n${section(run)}`);
}
