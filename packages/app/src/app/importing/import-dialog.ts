import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { describeError } from '../core/errors';
import { CsvClass, CsvImportService, ImportReport } from './csv-import.service';

export interface ImportDialogData {
  className: CsvClass;
}

/** What a file may weigh before it is even sent (the server refuses larger ones too). */
const MAX_FILE_BYTES = 5_000_000;
const SHOWN_PROBLEMS = 50;

const NOUNS: Record<CsvClass, string> = { Contact: 'contacts', Company: 'companies', Deal: 'deals' };

/**
 * Import a CSV file: pick it, check how its columns map to fields (the server guesses by name), see a dry run's
 * report (bad rows by line and column, companies it would create, likely duplicates), then import with progress.
 * Closes with true when something was imported.
 */
@Component({
  selector: 'crm-import-dialog',
  imports: [MatDialogModule, MatButtonModule, MatFormFieldModule, MatIconModule, MatProgressBarModule, MatSelectModule],
  template: `
    <h2 mat-dialog-title>Import {{ noun }} from CSV</h2>
    <mat-dialog-content>
      @if (error(); as message) {
        <div class="banner error" role="alert">{{ message }}</div>
      }
      @if (stage() === 'pick' || stage() === 'check') {
        <p class="muted">
          The first row names the columns. Link records by name: a company by its name, a contact by email or full name, an owner
          by username.
        </p>
        <input #file type="file" accept=".csv,text/csv" hidden (change)="choose(file.files)" data-testid="csv-file" />
        <button mat-stroked-button type="button" (click)="file.click()" [disabled]="busy()">
          <mat-icon>upload_file</mat-icon>{{ fileName() ? 'Choose another file' : 'Choose CSV file' }}
        </button>
        @if (fileName()) {
          <span class="file-name">{{ fileName() }}</span>
        }
      }
      @if (report(); as r) {
        @if (stage() === 'check') {
          <h3>Columns</h3>
          <div class="mapping">
            @for (c of r.columns; track c.column) {
              <mat-form-field subscriptSizing="dynamic">
                <mat-label>{{ c.column }}</mat-label>
                <mat-select [value]="mapping()[c.column]" (selectionChange)="map(c.column, $event.value)">
                  <mat-option value="">Don't import</mat-option>
                  @for (f of r.fields; track f) {
                    <mat-option [value]="f">{{ f }}</mat-option>
                  }
                </mat-select>
              </mat-form-field>
            }
          </div>
          @if (mappingChanged()) {
            <button mat-stroked-button type="button" (click)="check()" [disabled]="busy()">Check again</button>
          }
        }
        <section class="report" aria-label="Import report" data-testid="import-report">
          <p class="summary">
            @if (stage() === 'done') {
              <mat-icon>check_circle</mat-icon> Imported {{ r.imported }} {{ noun }}.
            } @else {
              {{ r.imported }} of {{ r.totalRows }} rows ready to import.
            }
          </p>
          @if (createdCompanies().length) {
            <p>
              {{ stage() === 'done' ? 'Created' : 'Will create' }} {{ createdCompanies().length }}
              {{ createdCompanies().length === 1 ? 'company' : 'companies' }}: {{ createdCompanies().join(', ') }}
            </p>
          }
          @if (r.duplicates.length) {
            <p>
              <mat-icon inline>content_copy</mat-icon> {{ r.duplicates.length }} possible
              {{ r.duplicates.length === 1 ? 'duplicate' : 'duplicates' }} (same
              {{ data.className === 'Company' ? 'web domain' : 'email' }})
              {{ stage() === 'done' ? 'flagged' : 'will be flagged' }}.
            </p>
          }
          @if (r.problems.length) {
            <p class="warn-text">
              {{ r.problems.length }} {{ r.problems.length === 1 ? 'row has' : 'rows have' }} problems and will be skipped:
            </p>
            <table class="problems">
              <thead>
                <tr>
                  <th>Line</th>
                  <th>Column</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                @for (p of shownProblems(); track $index) {
                  <tr>
                    <td>{{ p.line }}</td>
                    <td>{{ p.column ?? '' }}</td>
                    <td>{{ p.reason }}</td>
                  </tr>
                }
              </tbody>
            </table>
            @if (r.problems.length > shownProblems().length) {
              <p class="muted">…and {{ r.problems.length - shownProblems().length }} more.</p>
            }
          }
        </section>
      }
      @if (stage() === 'importing') {
        <p>Importing… {{ done() }} of {{ total() }} rows</p>
        <mat-progress-bar mode="determinate" [value]="percent()" aria-label="Import progress" />
      } @else if (busy()) {
        <mat-progress-bar mode="indeterminate" aria-label="Checking the file" />
      }
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      @if (stage() === 'done') {
        <button mat-flat-button type="button" (click)="close()">Done</button>
      } @else {
        <button mat-button type="button" mat-dialog-close [disabled]="stage() === 'importing'">Cancel</button>
        <button
          mat-flat-button
          type="button"
          (click)="run()"
          [disabled]="stage() !== 'check' || busy() || mappingChanged() || !report()?.imported"
        >
          Import {{ report()?.imported ?? '' }} {{ noun }}
        </button>
      }
    </mat-dialog-actions>
  `,
  styles: `
    .file-name {
      margin-left: 12px;
      font-weight: 600;
    }
    .mapping {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
      gap: 8px 12px;
      margin-bottom: 8px;
    }
    .report {
      margin: 12px 0;
    }
    .summary {
      font-weight: 600;
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .problems {
      width: 100%;
      border-collapse: collapse;
      font-size: 13px;
      th,
      td {
        text-align: left;
        padding: 4px 8px;
        border-bottom: 1px solid var(--crm-border, #e5e7eb);
      }
    }
    .warn-text {
      color: #b45309;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportDialog {
  protected readonly data = inject<ImportDialogData>(MAT_DIALOG_DATA);
  private readonly csvImport = inject(CsvImportService);
  private readonly ref = inject<MatDialogRef<ImportDialog, boolean>>(MatDialogRef);

  protected readonly noun = NOUNS[this.data.className];
  protected readonly stage = signal<'pick' | 'check' | 'importing' | 'done'>('pick');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly fileName = signal('');
  protected readonly report = signal<ImportReport | null>(null);
  protected readonly mapping = signal<Record<string, string>>({});
  protected readonly mappingChanged = signal(false);
  protected readonly done = signal(0);
  protected readonly total = signal(0);
  protected readonly percent = computed(() => (this.total() ? (100 * this.done()) / this.total() : 0));
  protected readonly shownProblems = computed(() => (this.report()?.problems ?? []).slice(0, SHOWN_PROBLEMS));
  protected readonly createdCompanies = computed(() => this.report()?.created['Company'] ?? []);
  private text = '';

  protected async choose(files: FileList | null): Promise<void> {
    const file = files?.[0];
    if (!file) return;
    this.error.set(null);
    if (file.size > MAX_FILE_BYTES) {
      this.error.set('This file is larger than 5 MB. Split it, or ask an administrator to use the crm import-csv command.');
      return;
    }
    this.fileName.set(file.name);
    this.text = await file.text();
    this.mapping.set({});
    await this.check();
  }

  protected map(column: string, field: string): void {
    this.mapping.update((m) => ({ ...m, [column]: field }));
    this.mappingChanged.set(true);
  }

  /** A dry run with the current mapping; the server's answer also says how it mapped each column. */
  protected async check(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const report = await this.csvImport.dryRun(this.data.className, this.text, this.mapping());
      this.report.set(report);
      this.mapping.set(Object.fromEntries(report.columns.map((c) => [c.column, c.field ?? ''])));
      this.mappingChanged.set(false);
      this.stage.set('check');
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async run(): Promise<void> {
    const checked = this.report();
    if (!checked) return;
    this.stage.set('importing');
    this.done.set(0);
    this.total.set(checked.totalRows);
    try {
      const report = await this.csvImport.import(
        this.data.className,
        this.text,
        this.mapping(),
        checked.totalRows,
        (done, total) => {
          this.done.set(done);
          this.total.set(total);
        },
      );
      this.report.set(report);
      this.stage.set('done');
    } catch (error) {
      this.error.set(`The import stopped: ${describeError(error)} Rows before the failure were imported.`);
      this.stage.set('done');
    }
  }

  protected close(): void {
    this.ref.close((this.report()?.imported ?? 0) > 0);
  }
}
