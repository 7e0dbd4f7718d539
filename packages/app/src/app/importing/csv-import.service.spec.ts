import { describe, expect, it } from 'vitest';
import { ImportReport, mergeReports } from './csv-import.service';

const report = (over: Partial<ImportReport>): ImportReport => ({
  className: 'Contact',
  dryRun: false,
  totalRows: 3,
  from: 0,
  rows: 0,
  imported: 0,
  columns: [],
  fields: [],
  problems: [],
  created: {},
  duplicates: [],
  ...over,
});

describe('mergeReports', () => {
  it('adds up the slices of one import', () => {
    const merged = mergeReports(
      report({ rows: 2, imported: 1, problems: [{ line: 3, reason: 'x' }], created: { Company: ['A'] } }),
      report({ from: 2, rows: 1, imported: 1, created: { Company: ['B'] }, duplicates: [{ line: 4, key: 'k', sameAsLine: 2 }] }),
    );
    expect(merged).toMatchObject({ from: 0, rows: 3, imported: 2, created: { Company: ['A', 'B'] } });
    expect(merged.problems).toHaveLength(1);
    expect(merged.duplicates).toHaveLength(1);
  });
});
