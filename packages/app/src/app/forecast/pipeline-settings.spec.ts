import { deal } from '../../testing/deal-fixtures';
import { DEFAULT_SETTINGS, daysInStage, isStale, settingsFromConfig, weightedAmount } from './pipeline-settings';

describe('pipeline settings', () => {
  it('overlays the server configuration on the known stages and ignores the rest', () => {
    const settings = settingsFromConfig([
      { name: 'lead', probability: 0.05, staleAfterDays: 7, folded: true },
      { name: 'won', probability: 1, won: true, folded: false },
      { name: 'mystery', probability: 0.5 },
      { name: 'proposal', probability: 7 },
      'junk',
    ]);
    expect(settings.lead).toEqual({ probability: 0.05, won: false, lost: false, folded: true, staleAfterDays: 7 });
    expect(settings.won.folded).toBe(false);
    expect(settings.proposal.probability).toBe(DEFAULT_SETTINGS.proposal.probability);
    expect(settingsFromConfig(undefined)).toEqual(DEFAULT_SETTINGS);
  });

  it("weights a deal by its own probability, else its stage's", () => {
    expect(weightedAmount(deal('a', { stage: 'proposal', amount: 1000 }), DEFAULT_SETTINGS)).toBe(500);
    expect(weightedAmount(deal('b', { stage: 'proposal', amount: 1000, probability: 0.9 }), DEFAULT_SETTINGS)).toBe(900);
    expect(weightedAmount(deal('c', { stage: 'won', amount: null }), DEFAULT_SETTINGS)).toBe(0);
  });

  it('flags a deal idle in its stage past the limit; closed stages never', () => {
    const now = new Date('2026-05-31T12:00:00Z');
    const since = (days: number) => new Date(now.getTime() - days * 86_400_000);
    expect(isStale(deal('a', { stage: 'lead', stageChangedAt: since(31) }), DEFAULT_SETTINGS, now)).toBe(true);
    expect(isStale(deal('b', { stage: 'lead', stageChangedAt: since(29) }), DEFAULT_SETTINGS, now)).toBe(false);
    expect(isStale(deal('c', { stage: 'won', stageChangedAt: since(400) }), DEFAULT_SETTINGS, now)).toBe(false);
    expect(isStale(deal('d', { stage: 'lead', stageChangedAt: null }), DEFAULT_SETTINGS, now)).toBe(false);
    expect(daysInStage(deal('e', { stageChangedAt: since(3.5) }), now)).toBe(3);
  });
});
