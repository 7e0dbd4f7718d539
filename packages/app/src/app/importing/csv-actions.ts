import { inject, Injectable } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { describeError } from '../core/errors';
import { CsvClass, CsvImportService, downloadText } from './csv-import.service';
import { ImportDialog, ImportDialogData } from './import-dialog';

/** The "Import CSV" and "Export CSV" buttons of the list pages. */
@Injectable({ providedIn: 'root' })
export class CsvActions {
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly csv = inject(CsvImportService);

  /** Resolves true when rows were imported (the page then reloads its list). */
  async import(className: CsvClass): Promise<boolean> {
    const data: ImportDialogData = { className };
    const ref = this.dialog.open(ImportDialog, { data, width: '760px', maxWidth: '95vw', disableClose: true });
    return new Promise((resolve) => ref.afterClosed().subscribe((imported?: boolean) => resolve(!!imported)));
  }

  async export(className: CsvClass): Promise<void> {
    try {
      const { csv, rows } = await this.csv.exportCsv(className);
      const day = new Date().toISOString().slice(0, 10);
      downloadText(`${className.toLowerCase()}-export-${day}.csv`, csv);
      this.snackBar.open(`Exported ${rows} ${rows === 1 ? 'row' : 'rows'}`, undefined, { duration: 3000 });
    } catch (error) {
      this.snackBar.open(`Could not export: ${describeError(error)}`, 'Dismiss');
    }
  }
}
