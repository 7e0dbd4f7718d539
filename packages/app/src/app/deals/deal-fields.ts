import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { AuthService } from '../auth/auth.service';
import { CompanyService } from '../companies/company.service';
import { ContactService } from '../contacts/contact.service';
import { STAGES } from '../core/models';
import { STAGE_INFO } from '../core/stages';
import { RecordPicker, RecordSearch } from '../shared/record-picker';
import { UserDirectoryService } from '../users/user-directory.service';
import { DealForm, MAX_AMOUNT } from './deal-form';

/** The deal's fields, shared by the "New deal" dialog and the deal screen. */
@Component({
  selector: 'crm-deal-fields',
  imports: [ReactiveFormsModule, MatFormFieldModule, MatInputModule, MatSelectModule, MatDatepickerModule, RecordPicker],
  template: `
    <div class="grid" [formGroup]="form()">
      <mat-form-field class="wide">
        <mat-label>Deal title</mat-label>
        <input matInput formControlName="title" required maxlength="200" />
        @if (form().controls.title.hasError('required') || form().controls.title.hasError('pattern')) {
          <mat-error>Give the deal a title</mat-error>
        }
      </mat-form-field>

      <mat-form-field>
        <mat-label>Amount</mat-label>
        <span matTextPrefix>$&nbsp;</span>
        <input matInput type="number" inputmode="decimal" min="0" step="100" formControlName="amount" />
        @if (form().controls.amount.hasError('min')) {
          <mat-error>The amount cannot be negative</mat-error>
        } @else if (form().controls.amount.hasError('max')) {
          <mat-error>The amount must be below {{ maxAmount.toLocaleString() }}</mat-error>
        }
      </mat-form-field>

      <mat-form-field>
        <mat-label>Stage</mat-label>
        <mat-select formControlName="stage">
          @for (stage of stages; track stage) {
            <mat-option [value]="stage">{{ stageInfo[stage].label }}</mat-option>
          }
        </mat-select>
      </mat-form-field>

      <mat-form-field>
        <mat-label>Expected close</mat-label>
        <input matInput [matDatepicker]="picker" formControlName="expectedCloseDate" placeholder="MM/DD/YYYY" />
        <mat-datepicker-toggle matIconSuffix [for]="picker" />
        <mat-datepicker #picker />
        @if (form().controls.expectedCloseDate.hasError('matDatepickerParse')) {
          <mat-error>This is not a date</mat-error>
        }
      </mat-form-field>

      <crm-record-picker label="Owner" icon="badge" formControlName="owner" [search]="searchUsers" [hint]="ownerHint()" />
      <crm-record-picker label="Company" icon="domain" formControlName="company" [search]="searchCompanies" />
      <crm-record-picker label="Contact" icon="person" formControlName="contact" [search]="searchContacts" />

      @if (showNotes()) {
        <mat-form-field class="wide">
          <mat-label>Notes</mat-label>
          <textarea matInput formControlName="notes" rows="4" maxlength="5000"></textarea>
        </mat-form-field>
      }
    </div>
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
export class DealFields {
  private readonly companies = inject(CompanyService);
  private readonly contacts = inject(ContactService);
  private readonly users = inject(UserDirectoryService);
  private readonly auth = inject(AuthService);

  readonly form = input.required<DealForm>();
  readonly showNotes = input(true);

  protected readonly stages = STAGES;
  protected readonly stageInfo = STAGE_INFO;
  protected readonly maxAmount = MAX_AMOUNT;
  protected readonly ownerHint = () => (this.auth.canManageTeam() ? '' : 'Reassigning hands the deal to that person');

  protected readonly searchCompanies: RecordSearch = (term) => this.companies.suggest(term);
  protected readonly searchContacts: RecordSearch = (term) => this.contacts.suggest(term);
  protected readonly searchUsers: RecordSearch = (term) => this.users.search(term);
}
