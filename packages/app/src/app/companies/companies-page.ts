import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { describeError } from '../core/errors';
import { Company } from '../core/models';
import { Avatar } from '../shared/avatar';
import { confirm } from '../shared/confirm-dialog';
import { EmptyState } from '../shared/empty-state';
import { CsvActions } from '../importing/csv-actions';
import { formatDay } from '../shared/format';
import { SearchBox } from '../shared/search-box';
import { CompanyDialog } from './company-dialog';
import { CompanyService } from './company.service';
import { hostOf } from './website';

@Component({
  selector: 'crm-companies-page',
  imports: [
    RouterLink,
    MatTableModule,
    MatSortModule,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    Avatar,
    EmptyState,
    SearchBox,
  ],
  templateUrl: './companies-page.html',
  styleUrl: '../shared/list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CompaniesPage {
  protected readonly companies = inject(CompanyService);
  protected readonly list = this.companies.list;
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  protected readonly columns = ['name', 'industry', 'website', 'updatedAt', 'actions'];
  protected readonly day = formatDay;
  protected readonly host = hostOf;

  protected readonly csv = inject(CsvActions);

  protected async importCsv(): Promise<void> {
    if (await this.csv.import('Company')) void this.list.reload();
  }

  constructor() {
    void this.list.load();
  }

  protected sortChange(sort: Sort): void {
    void this.list.sortBy(
      sort.direction ? { field: sort.active, direction: sort.direction } : { field: 'name', direction: 'asc' },
    );
  }

  protected open(company: Company): void {
    void this.router.navigate(['/companies', company.id]);
  }

  protected edit(company?: Company): void {
    this.dialog
      .open(CompanyDialog, { data: company ?? null, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved?: Company) => {
        if (saved)
          this.snackBar.open(company ? 'Company saved' : `Company “${saved.name}” created`, undefined, { duration: 3000 });
      });
  }

  protected async remove(company: Company): Promise<void> {
    const ok = await confirm(this.dialog, {
      title: `Delete ${company.name}?`,
      message: 'The company is removed for everyone. Its contacts and deals are kept.',
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.companies.remove(company.id);
      this.snackBar.open('Company deleted', undefined, { duration: 3000 });
    } catch (error) {
      this.snackBar.open(`Could not delete: ${describeError(error)}`, 'Dismiss');
    }
  }
}
