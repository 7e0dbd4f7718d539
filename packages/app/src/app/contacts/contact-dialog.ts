import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormControl, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { CompanyService } from '../companies/company.service';
import { describeError } from '../core/errors';
import { Contact, Ref } from '../core/models';
import { RecordPicker, RecordSearch } from '../shared/record-picker';
import { ContactService } from './contact.service';

export interface ContactDialogData {
  contact?: Contact;
  company?: Ref | null;
}

@Component({
  selector: 'crm-contact-dialog',
  imports: [
    ReactiveFormsModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    RecordPicker,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <h2 mat-dialog-title>{{ editing ? 'Edit contact' : 'New contact' }}</h2>
      <mat-dialog-content>
        @if (error(); as message) {
          <div class="banner error" role="alert">{{ message }}</div>
        }
        <div class="grid">
          <mat-form-field class="wide">
            <mat-label>Full name</mat-label>
            <input matInput formControlName="name" required maxlength="200" autocomplete="off" />
            @if (form.controls.name.invalid) {
              <mat-error>Enter the contact's name</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Email</mat-label>
            <input matInput type="email" formControlName="email" maxlength="200" autocomplete="off" />
            @if (form.controls.email.hasError('email')) {
              <mat-error>This is not an email address</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Phone</mat-label>
            <input matInput type="tel" formControlName="phone" maxlength="50" autocomplete="off" />
            @if (form.controls.phone.hasError('pattern')) {
              <mat-error>Use digits, spaces and + ( ) - only</mat-error>
            }
          </mat-form-field>
          <crm-record-picker class="wide" label="Company" icon="domain" formControlName="company" [search]="searchCompanies" />
          <mat-form-field class="wide">
            <mat-label>Notes</mat-label>
            <textarea matInput formControlName="notes" rows="3" maxlength="5000"></textarea>
          </mat-form-field>
        </div>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">{{ editing ? 'Save' : 'Create contact' }}</button>
      </mat-dialog-actions>
      @if (saving()) {
        <mat-progress-bar mode="indeterminate" aria-label="Saving" />
      }
    </form>
  `,
  styles: `
    .grid {
      display: grid;
      grid-template-columns: repeat(2, minmax(0, 1fr));
      gap: 12px 16px;
    }
    .wide {
      grid-column: 1 / -1;
    }
    @media (max-width: 600px) {
      .grid {
        grid-template-columns: minmax(0, 1fr);
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactDialog {
  private readonly contacts = inject(ContactService);
  private readonly companies = inject(CompanyService);
  private readonly ref = inject<MatDialogRef<ContactDialog, Contact>>(MatDialogRef);
  private readonly data = inject<ContactDialogData | null>(MAT_DIALOG_DATA, { optional: true }) ?? {};

  protected readonly editing = !!this.data.contact;
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly searchCompanies: RecordSearch = (term) => this.companies.suggest(term);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.data.contact?.name ?? '', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    email: [this.data.contact?.email ?? '', [Validators.email, Validators.maxLength(200)]],
    phone: [this.data.contact?.phone ?? '', [Validators.pattern(/^[0-9+()\-.\s]*$/), Validators.maxLength(50)]],
    company: new FormControl<Ref | null>(this.data.contact?.company ?? this.data.company ?? null),
    notes: [this.data.contact?.notes ?? '', Validators.maxLength(5000)],
  });

  async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    try {
      const input = this.form.getRawValue();
      const { contact } = this.data.contact
        ? await this.contacts.update(this.data.contact.id, input)
        : await this.contacts.create(input);
      this.ref.close(contact);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.saving.set(false);
    }
  }
}
