import { Injectable } from '@angular/core';
import Parse from 'parse';

/** The server's import report (src/importing/csv-import.ts). */
export interface ImportReport {
  className: string;
  dryRun: boolean;
  totalRows: number;
  from: number;
  rows: number;
  imported: number;
  columns: { column: string; field: string | null }[];
  fields: string[];
  problems: { line: number; column?: string; reason: string }[];
  created: Record<string, string[]>;
  duplicates: { line: number; key: string; duplicateOf?: string; sameAsLine?: number }[];
}

export type CsvClass = 'Contact' | 'Company' | 'Deal';

/** Rows sent per call during an import: each call is a few server transactions, and the bar moves between calls. */
export const ROWS_PER_CALL = 500;

/** The `importCsv` / `exportCsv` cloud functions; they run with the signed-in user's permissions. */
@Injectable({ providedIn: 'root' })
export class CsvImportService {
  /** Reads and checks the whole file; writes nothing. */
  dryRun(className: CsvClass, csv: string, mapping: Record<string, string> = {}): Promise<ImportReport> {
    return Parse.Cloud.run('importCsv', { className, csv, mapping, dryRun: true });
  }

  /**
   * Imports the file a slice of rows at a time, so progress can be shown, and merges the slices' reports.
   * Records created by an earlier slice (companies, duplicates) are found by later ones like any other.
   */
  async import(
    className: CsvClass,
    csv: string,
    mapping: Record<string, string>,
    totalRows: number,
    onProgress: (done: number, total: number) => void,
  ): Promise<ImportReport> {
    let merged: ImportReport | null = null;
    for (let from = 0; from < Math.max(totalRows, 1); from += ROWS_PER_CALL) {
      const part: ImportReport = await Parse.Cloud.run('importCsv', { className, csv, mapping, from, count: ROWS_PER_CALL });
      merged = merged ? mergeReports(merged, part) : part;
      onProgress(Math.min(from + ROWS_PER_CALL, totalRows), totalRows);
    }
    return merged!;
  }

  async exportCsv(className: CsvClass): Promise<{ csv: string; rows: number }> {
    return Parse.Cloud.run('exportCsv', { className });
  }
}

export function mergeReports(a: ImportReport, b: ImportReport): ImportReport {
  const created: Record<string, string[]> = { ...a.created };
  for (const [className, names] of Object.entries(b.created)) created[className] = [...(created[className] ?? []), ...names];
  return {
    ...a,
    rows: a.rows + b.rows,
    imported: a.imported + b.imported,
    problems: [...a.problems, ...b.problems],
    created,
    duplicates: [...a.duplicates, ...b.duplicates],
  };
}

/** Saves text as a file through the browser's download. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
