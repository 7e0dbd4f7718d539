import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { DEFAULT_STAGES, resolveStages } from './stages.js';

describe('pipeline stages', () => {
  it('defaults to the seed stages in order, won/lost folded and never stale', () => {
    expect(DEFAULT_STAGES.map((s) => s.name)).toEqual(['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost']);
    expect(DEFAULT_STAGES.map((s) => s.order)).toEqual([0, 1, 2, 3, 4, 5]);
    const won = DEFAULT_STAGES[4];
    expect(won).toMatchObject({ won: true, lost: false, folded: true, probability: 1, staleAfterDays: null });
    expect(DEFAULT_STAGES[0]).toMatchObject({ label: 'Lead', folded: false, staleAfterDays: 30 });
  });

  it('completes configured entries: labels, the global stale limit, per-stage overrides', () => {
    const stages = resolveStages(
      [
        { name: 'new', probability: 0.2 },
        { name: 'demo', probability: 0.6, staleAfterDays: 7 },
        { name: 'signed', probability: 1, won: true },
      ],
      10,
    );
    expect(stages.map((s) => [s.label, s.staleAfterDays, s.folded])).toEqual([
      ['New', 10, false],
      ['Demo', 7, false],
      ['Signed', null, false],
    ]);
  });

  it.each([
    [[], 'non-empty'],
    ['lead', 'non-empty'],
    [[{ name: 'a', probability: 1.5 }], 'stages[0].probability must be a number from 0 to 1'],
    [[{ name: 'a' }], 'probability'],
    [[{ name: '', probability: 0 }], 'stages[0].name'],
    [[{ name: 'a', probability: 0, won: true, lost: true }], 'both won and lost'],
    [[{ name: 'a', probability: 0, won: 'yes' }], 'stages[0].won must be true or false'],
    [[{ name: 'a', probability: 0, colour: 'red' }], 'unknown key "colour"'],
    [[{ name: 'a', probability: 0, staleAfterDays: -1 }], 'staleAfterDays'],
    [
      [
        { name: 'a', probability: 0 },
        { name: 'a', probability: 1 },
      ],
      '"a" appears twice',
    ],
  ])('refuses %j', (raw, message) => {
    expect(() => resolveStages(raw)).toThrow(message);
  });

  it('reads stages from the CRM_CONFIG file and names the file in errors', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crm-stages-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        stages: [
          { name: 'open', probability: 0.5 },
          { name: 'closed', probability: 1, won: true },
        ],
      }),
    );
    expect(loadConfig({}, { CRM_CONFIG: good }).stages.map((s) => s.name)).toEqual(['open', 'closed']);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ stages: [{ name: 'open', probability: 2 }] }));
    expect(() => loadConfig({}, { CRM_CONFIG: bad })).toThrow(ConfigError);
    expect(() => loadConfig({}, { CRM_CONFIG: bad })).toThrow(`${bad}: stages[0].probability`);
    expect(loadConfig({}, {}).stages).toEqual(DEFAULT_STAGES);
  });
});
