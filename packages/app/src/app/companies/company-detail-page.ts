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
import { ContactDialog, ContactDialogData } from '../contacts/contact-dialog';
import { ContactService } from '../contacts/contact.service';
import { describeError } from '../core/errors';
import { Company, Contact } from '../core/models';
import { DealList } from '../deals/deal-list';
import { DealService } from '../deals/deal.service';
import { NewDealDefaults, NewDealDialog } from '../deals/new-deal-dialog';
import { Avatar } from '../shared/avatar';
import { confirm } from '../shared/confirm-dialog';
import { EmptyState } from '../shared/empty-state';
import { formatMoney } from '../shared/format';
import { CompanyDialog } from './company-dialog';
import { CompanyService } from './company.service';
import { hostOf } from './website';

@Component({
  selector: 'crm-company-detail-page',
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
  templateUrl: './company-detail-page.html',
  styleUrl: '../shared/detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CompanyDetailPage {
  private readonly companies = inject(CompanyService);
  private readonly contactService = inject(ContactService);
  private readonly deals = inject(DealService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  readonly id = input.required<string>();

  protected readonly company = signal<Company | null>(null);
  protected readonly contacts = signal<Contact[]>([]);
  protected readonly contactsLoaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly companyDeals = computed(() => this.deals.deals().filter((deal) => deal.company?.id === this.id()));
  protected readonly openValue = computed(() =>
    formatMoney(
      this.companyDeals().reduce(
        (sum, deal) => sum + (deal.stage !== 'won' && deal.stage !== 'lost' ? (deal.amount ?? 0) : 0),
        0,
      ),
    ),
  );
  protected readonly related = computed<RelatedKey[]>(() => [
    ...this.contacts()
      .filter((contact) => !contact.pending)
      .map((contact) => ({ className: 'Contact' as const, id: contact.id })),
    ...this.companyDeals()
      .filter((deal) => !deal.pending)
      .map((deal) => ({ className: 'Deal' as const, id: deal.id })),
  ]);
  protected readonly host = hostOf;

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
      const [company, contacts] = await Promise.all([this.companies.get(id), this.contactService.ofCompany(id)]);
      this.company.set(company);
      this.contacts.set(contacts);
      this.contactsLoaded.set(true);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }

  protected edit(company: Company): void {
    this.dialog
      .open(CompanyDialog, { data: company, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe((saved?: Company) => saved && this.company.set(saved));
  }

  protected addContact(company: Company): void {
    const data: ContactDialogData = { company: { id: company.id, name: company.name } };
    this.dialog
      .open(ContactDialog, { data, width: '600px', maxWidth: '95vw' })
      .afterClosed()
      .subscribe(
        (saved?: Contact) =>
          saved && this.contacts.update((list) => [...list, saved].sort((a, b) => a.name.localeCompare(b.name))),
      );
  }

  protected newDeal(company: Company): void {
    const data: NewDealDefaults = { company: { id: company.id, name: company.name } };
    this.dialog.open(NewDealDialog, { data, width: '640px', maxWidth: '95vw' });
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
      await this.router.navigate(['/companies']);
    } catch (error) {
      this.snackBar.open(`Could not delete: ${describeError(error)}`, 'Dismiss');
    }
  }
}
