import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import { ActivityTimeline } from '../activities/activity-timeline';
import { RelatedKey } from '../activities/activity.service';
import { describeError } from '../core/errors';
import { Contact, RelatedRef } from '../core/models';
import { DealList } from '../deals/deal-list';
import { DealService } from '../deals/deal.service';
import { NewDealDefaults, NewDealDialog } from '../deals/new-deal-dialog';
import { Avatar } from '../shared/avatar';
import { confirm } from '../shared/confirm-dialog';
import { EmptyState } from '../shared/empty-state';
import { ContactDialog, ContactDialogData } from './contact-dialog';
import { ContactService } from './contact.service';
import { DuplicateService } from '../duplicates/duplicate.service';
import { Ref } from '../core/models';

@Component({
  selector: 'crm-contact-detail-page',
  imports: [
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    ActivityTimeline,
    Avatar,
    DealList,
    EmptyState,
  ],
  templateUrl: './contact-detail-page.html',
  styleUrl: '../shared/detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactDetailPage {
  private readonly contacts = inject(ContactService);
  private readonly deals = inject(DealService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);
  private readonly duplicates = inject(DuplicateService);

  readonly id = input.required<string>();

  protected readonly contact = signal<Contact | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly contactDeals = computed(() => this.deals.deals().filter((deal) => deal.contact?.id === this.id()));
  protected readonly related = computed<RelatedKey[]>(() => [
    { className: 'Contact', id: this.id() },
    ...this.contactDeals()
      .filter((deal) => !deal.pending)
      .map((deal) => ({ className: 'Deal' as const, id: deal.id })),
  ]);
  protected readonly logTarget = computed<RelatedRef | null>(() => {
    const contact = this.contact();
    return contact && !contact.pending ? { className: 'Contact', id: contact.id, name: contact.name } : null;
  });

  constructor() {
    void this.deals.load();
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
  }

  protected async load(id = this.id()): Promise<void> {
    this.error.set(null);
    try {
      this.contact.set(await this.contacts.get(id));
    } catch (error) {
      this.error.set(describeError(error));
    }
  }

  protected edit(contact: Contact): void {
    const data: ContactDialogData = { contact };
    this.dialog
      .open(ContactDialog, { data, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved?: Contact) => saved && this.contact.set(saved));
  }

  protected newDeal(contact: Contact): void {
    const data: NewDealDefaults = { contact: { id: contact.id, name: contact.name }, company: contact.company };
    this.dialog.open(NewDealDialog, { data, width: '640px', maxWidth: '95vw' });
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
      await this.router.navigate(['/contacts']);
    } catch (error) {
      this.snackBar.open(`Could not delete: ${describeError(error)}`, 'Dismiss');
    }
  }

  /** Folds this contact into the original: its deals and activities move there, then it is deleted. */
  protected async mergeInto(contact: Contact, original: Ref): Promise<void> {
    const ok = await confirm(this.dialog, {
      title: `Merge into ${original.name || 'the original'}?`,
      message: `${contact.name}'s deals and activities move to ${original.name || 'the original contact'}, its empty fields are filled from this one, and ${contact.name} is deleted.`,
      confirm: 'Merge',
    });
    if (!ok) return;
    try {
      await this.duplicates.merge('Contact', original.id, contact.id);
      this.snackBar.open('Contacts merged', undefined, { duration: 3000 });
      void this.deals.reload();
      await this.router.navigate(['/contacts', original.id]);
    } catch (error) {
      this.snackBar.open(`Could not merge: ${describeError(error)}`, 'Dismiss');
    }
  }

  protected async notDuplicate(contact: Contact): Promise<void> {
    try {
      await this.duplicates.dismiss('Contact', contact.id);
      this.contact.set({ ...contact, duplicateOf: null });
    } catch (error) {
      this.snackBar.open(`Could not save: ${describeError(error)}`, 'Dismiss');
    }
  }
}
