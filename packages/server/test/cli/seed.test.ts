/**
 * `crm seed --demo`: the team and pipeline exist, were written as their owners (createdBy, ACLs), and the
 * CRM policy holds through the REST API — a rep sees only their own deals, the manager sees all of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm, crmOk, dataDirArgs, onDataDir, removeTempDirs, serveDataDir, tempDir } from './harness.js';
import { MASTER } from '../../src/security/auth.js';
import { demoPassword, demoPlan, REPS, STAGES } from '../../src/cli/demo-data.js';
import { TEAM } from '../../src/cli/demo-words.js';

const NOW = '2025-06-15T12:00:00.000Z';
const SEED = ['seed', '--demo', '--seed', '7', '--now', NOW];
let dir: string;
let output: string;

beforeAll(async () => {
  dir = tempDir();
  output = (await crmOk([...dataDirArgs(dir), ...SEED])).stdout;
});

afterAll(removeTempDirs);

const countOf = (className: string) =>
  onDataDir(dir, async (s) => (await s.objects.find(MASTER, className, { count: 1, limit: 0 })).count);

describe('crm seed --demo', () => {
  it('creates the team, prints the password, and fills every CRM class', async () => {
    const password = demoPassword(7);
    expect(output).toContain(password);
    for (const member of TEAM) expect(output).toContain(member.username);
    expect(await countOf('_User')).toBe(6);
    expect(await countOf('Company')).toBe(30);
    expect(await countOf('Contact')).toBe(120);
    expect(await countOf('Deal')).toBe(150);
    expect(await countOf('Activity')).toBeGreaterThan(300);
  });

  it('is deterministic for a seed and spreads deals over every stage and ±3 months', () => {
    const a = demoPlan(7, new Date(NOW));
    expect(demoPlan(7, new Date(NOW))).toEqual(a);
    expect(demoPlan(8, new Date(NOW))).not.toEqual(a);
    expect(new Set(a.deals.map((d) => d.stage))).toEqual(new Set(STAGES));
    const days = a.deals.map((d) => (Date.parse(d.expectedCloseDate) - Date.parse(NOW)) / 86_400_000);
    expect(Math.min(...days)).toBeGreaterThanOrEqual(-91);
    expect(Math.max(...days)).toBeLessThanOrEqual(91);
    expect(new Set(a.deals.map((d) => d.owner))).toEqual(new Set(REPS));
    const today = NOW.slice(0, 10);
    const open = a.activities.filter((x) => x.dueDate && !x.completedAt);
    expect(open.some((x) => x.dueDate!.startsWith(today))).toBe(true);
    expect(open.some((x) => x.dueDate! < today)).toBe(true);
    expect(a.activities.some((x) => x.completedAt)).toBe(true);
    expect(new Set(a.activities.map((x) => x.type))).toEqual(new Set(['call', 'email', 'meeting', 'note']));
  });

  it('wrote each object as its owner: createdBy, assignedTo and owner ACLs are set by the policy', async () => {
    await onDataDir(dir, async (services) => {
      const { results: users } = await services.objects.find(MASTER, '_User', { limit: 100 });
      const reps = new Set(users.filter((u) => REPS.some((i) => TEAM[i].username === u.username)).map((u) => u.objectId));
      const { results: deals } = await services.objects.find(MASTER, 'Deal', { limit: 1000 });
      for (const deal of deals) {
        const owner = (deal.assignedTo as { objectId: string }).objectId;
        expect(reps.has(owner)).toBe(true);
        expect(deal.ACL).toMatchObject({
          [owner]: { read: true, write: true },
          'role:managers': { read: true },
          'role:admins': { read: true, write: true },
        });
        expect(deal.ACL).not.toHaveProperty('*');
      }
      const { results: contacts } = await services.objects.find(MASTER, 'Contact', { limit: 1000 });
      for (const contact of contacts) expect(contact.ACL).toHaveProperty((contact.createdBy as { objectId: string }).objectId);
    });
  });

  it('refuses a second run on a non-empty database unless --force', async () => {
    const again = await crm([...dataDirArgs(dir), ...SEED]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/--force/);
  });

  it('through the REST API, reps see only their own deals and the manager sees all', async () => {
    const api = await serveDataDir(dir);
    try {
      const password = demoPassword(7);
      const seen = new Set<string>();
      for (const index of REPS) {
        const token = await api.login(TEAM[index].username, password);
        const me = await api.call('GET', '/users/me', { token });
        const { body } = await api.call('GET', '/classes/Deal', { token, query: { limit: 1000 } });
        expect(body.results.length).toBeGreaterThan(0);
        for (const deal of body.results) {
          expect(deal.assignedTo.objectId).toBe(me.body.objectId);
          seen.add(deal.objectId);
        }
      }
      expect(seen.size).toBe(150);
      const manager = await api.login('maria.lopez', password);
      const all = await api.call('GET', '/classes/Deal', { token: manager, query: { limit: 1000, count: 1 } });
      expect(all.body.count).toBe(150);
      const anonymous = await api.call('GET', '/classes/Deal');
      expect(anonymous.status).not.toBe(200);
    } finally {
      await api.close();
    }
  });

  it('--force adds another batch and reuses the existing team', async () => {
    const run = await crmOk([...dataDirArgs(dir), ...SEED, '--force']);
    expect(run.stdout).toContain('existing user');
    expect(await countOf('_User')).toBe(6);
    expect(await countOf('Deal')).toBe(300);
  });
});
