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
import { Contact } from '../core/models';
import { Avatar } from '../shared/avatar';
import { confirm } from '../shared/confirm-dialog';
import { EmptyState } from '../shared/empty-state';
import { CsvActions } from '../importing/csv-actions';
import { formatDay } from '../shared/format';
import { SearchBox } from '../shared/search-box';
import { ContactDialog, ContactDialogData } from './contact-dialog';
import { ContactService } from './contact.service';

@Component({
  selector: 'crm-contacts-page',
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
  templateUrl: './contacts-page.html',
  styleUrl: '../shared/list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactsPage {
  protected readonly contacts = inject(ContactService);
  protected readonly list = this.contacts.list;
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  protected readonly columns = ['name', 'email', 'phone', 'company', 'updatedAt', 'actions'];
  protected readonly day = formatDay;

  protected readonly csv = inject(CsvActions);

  protected async importCsv(): Promise<void> {
    if (await this.csv.import('Contact')) void this.list.reload();
  }

  constructor() {
    void this.list.load();
  }

  protected sortChange(sort: Sort): void {
    void this.list.sortBy(
      sort.direction ? { field: sort.active, direction: sort.direction } : { field: 'name', direction: 'asc' },
    );
  }

  protected open(contact: Contact): void {
    void this.router.navigate(['/contacts', contact.id]);
  }

  protected edit(contact?: Contact): void {
    const data: ContactDialogData = { contact };
    this.dialog
      .open(ContactDialog, { data, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved?: Contact) => {
        if (saved)
          this.snackBar.open(contact ? 'Contact saved' : `Contact “${saved.name}” created`, undefined, { duration: 3000 });
      });
  }

  protected async remove(contact: Contact): Promise<void> {
    const ok = await confirm(this.dialog, {
      title: `Delete ${contact.name}?`,
      message: 'The contact is removed for everyone. Deals that mention them are kept.',
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.contacts.remove(contact.id);
      this.snackBar.open('Contact deleted', undefined, { duration: 3000 });
    } catch (error) {
      this.snackBar.open(`Could not delete: ${describeError(error)}`, 'Dismiss');
    }
  }
}
