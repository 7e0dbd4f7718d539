/**
 * One-off timing of the search function on SQLite (docs/SEARCH.md): imports N deals (default 50,000) owned
 * by 20 reps into a fresh data directory, then times searches as the master key, as a manager and as a rep.
 * Not a benchmark: `npx tsx scripts/search-timing.ts [N]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withServices } from '../src/cli/context.js';
import { MASTER } from '../src/security/auth.js';
import { ImportService } from '../src/service/import-service.js';

const total = Number(process.argv[2] ?? 50_000);
const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-search-timing-'));
const WORDS = [
  'acme',
  'orion',
  'globex',
  'initech',
  'umbrella',
  'stark',
  'wayne',
  'hooli',
  'vandelay',
  'soylent',
  'tyrell',
  'cyberdyne',
];
const KINDS = ['renewal', 'expansion', 'pilot', 'upgrade', 'licence', 'support', 'migration', 'rollout'];
const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];

try {
  const io = { stdout: process.stdout, stderr: process.stderr, env: {} };
  await withServices({ dataDir }, io, async (services) => {
    const importer = new ImportService(services.storage, services.schema, services.schemas);
    const reps = Array.from({ length: 20 }, (_, i) => `rep${String(i).padStart(7, '0')}`);
    const deals = Array.from({ length: total }, (_, i) => {
      const owner = reps[i % reps.length];
      return {
        objectId: `d${String(i).padStart(9, '0')}`,
        title: `${WORDS[i % WORDS.length]} ${KINDS[(i >> 3) % KINDS.length]} ${i}`,
        stage: STAGES[i % STAGES.length],
        amount: i,
        notes: i % 10 === 0 ? `mentioned ${WORDS[(i + 5) % WORDS.length]} during the call` : 'follow up next week',
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
        ACL: {
          [owner]: { read: true, write: true },
          'role:managers': { read: true },
          'role:admins': { read: true, write: true },
        },
      };
    });
    let started = performance.now();
    const result = await importer.importObjects('Deal', deals, { batchSize: 5000 });
    console.log(`imported ${result.written} deals in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const callers = {
      master: MASTER,
      manager: { isMaster: false, user: { objectId: 'mgr0000001' }, roles: ['managers'] },
      rep: { isMaster: false, user: { objectId: reps[1] }, roles: [] },
    };
    const queries = ['orion', 'orion pilot', 'acm', 'ren', 'o', 'd', 'vandelay upgrade 4711', 'nothingmatches'];
    for (const [name, auth] of Object.entries(callers)) {
      for (const q of queries) {
        await services.search.search(auth, { q }); // warm
        const runs = 20;
        started = performance.now();
        let hits = 0;
        for (let i = 0; i < runs; i++) hits = (await services.search.search(auth, { q })).length;
        const ms = (performance.now() - started) / runs;
        console.log(`${name.padEnd(8)} ${JSON.stringify(q).padEnd(24)} ${ms.toFixed(2).padStart(7)} ms  (${hits} hits)`);
      }
    }
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
