import { daysBetween, formatCompactMoney, formatDay, formatDayInline, formatMoney, plural } from './format';

describe('format', () => {
  const now = new Date(2026, 4, 15, 10);

  it('formats money and empty amounts', () => {
    expect(formatMoney(1234)).toContain('1,234');
    expect(formatMoney(null)).toBe('—');
    expect(formatCompactMoney(1_250_000)).toMatch(/1\.3M|1\.25M|1\.2M/);
  });

  it('names nearby days', () => {
    expect(formatDay(new Date(2026, 4, 15, 23), now)).toBe('Today');
    expect(formatDay(new Date(2026, 4, 16), now)).toBe('Tomorrow');
    expect(formatDay(new Date(2026, 4, 12), now)).toBe('3 days ago');
    expect(formatDay(new Date(2026, 6, 1), now)).toMatch(/Jul/);
    expect(formatDay(new Date(2027, 0, 3), now)).toMatch(/2027/);
    expect(formatDay(null, now)).toBe('');
  });

  it('lowercases relative days inside a sentence and pluralizes', () => {
    expect(formatDayInline(new Date(2026, 4, 14), now)).toBe('yesterday');
    expect(formatDayInline(new Date(2026, 6, 1), now)).toMatch(/^Jul/);
    expect(plural(1, 'deal')).toBe('1 deal');
    expect(plural(0, 'deal')).toBe('0 deals');
    expect(plural(2, 'company', 'companies')).toBe('2 companies');
  });

  it('counts calendar days, not 24-hour spans', () => {
    expect(daysBetween(new Date(2026, 4, 15, 23), new Date(2026, 4, 16, 1))).toBe(1);
  });
});
