import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { describeError } from '../core/errors';
import { Company } from '../core/models';
import { CompanyService } from './company.service';

const INDUSTRIES = [
  'Software',
  'Financial services',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Education',
  'Media',
  'Logistics',
  'Energy',
  'Public sector',
];

@Component({
  selector: 'crm-company-dialog',
  imports: [
    ReactiveFormsModule,
    MatAutocompleteModule,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <h2 mat-dialog-title>{{ company ? 'Edit company' : 'New company' }}</h2>
      <mat-dialog-content>
        @if (error(); as message) {
          <div class="banner error" role="alert">{{ message }}</div>
        }
        <div class="grid">
          <mat-form-field class="wide">
            <mat-label>Company name</mat-label>
            <input matInput formControlName="name" required maxlength="200" autocomplete="off" />
            @if (form.controls.name.invalid) {
              <mat-error>Enter the company's name</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Website</mat-label>
            <input matInput formControlName="website" maxlength="300" placeholder="acme.com" autocomplete="off" />
            @if (form.controls.website.hasError('pattern')) {
              <mat-error>Enter a web address like acme.com</mat-error>
            }
          </mat-form-field>
          <mat-form-field>
            <mat-label>Industry</mat-label>
            <input matInput formControlName="industry" maxlength="100" [matAutocomplete]="industries" />
            <mat-autocomplete #industries="matAutocomplete">
              @for (industry of industryOptions(); track industry) {
                <mat-option [value]="industry">{{ industry }}</mat-option>
              }
            </mat-autocomplete>
          </mat-form-field>
          <mat-form-field class="wide">
            <mat-label>Address</mat-label>
            <input matInput formControlName="address" maxlength="300" autocomplete="off" />
          </mat-form-field>
          <mat-form-field class="wide">
            <mat-label>Notes</mat-label>
            <textarea matInput formControlName="notes" rows="3" maxlength="5000"></textarea>
          </mat-form-field>
        </div>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">{{ company ? 'Save' : 'Create company' }}</button>
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
export class CompanyDialog {
  private readonly companies = inject(CompanyService);
  private readonly ref = inject<MatDialogRef<CompanyDialog, Company>>(MatDialogRef);
  protected readonly company = inject<Company | null>(MAT_DIALOG_DATA, { optional: true });

  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.company?.name ?? '', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    website: [
      this.company?.website ?? '',
      [Validators.pattern(/^\s*(https?:\/\/)?[^\s/$.?#]+\.[^\s]+\s*$/i), Validators.maxLength(300)],
    ],
    industry: [this.company?.industry ?? '', Validators.maxLength(100)],
    address: [this.company?.address ?? '', Validators.maxLength(300)],
    notes: [this.company?.notes ?? '', Validators.maxLength(5000)],
  });

  private readonly industryText = toSignal(this.form.controls.industry.valueChanges, {
    initialValue: this.form.controls.industry.value,
  });
  protected readonly industryOptions = computed(() => {
    const typed = this.industryText().trim().toLowerCase();
    return INDUSTRIES.filter((industry) => industry.toLowerCase().includes(typed) && industry.toLowerCase() !== typed);
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
      const { company } = this.company ? await this.companies.update(this.company.id, input) : await this.companies.create(input);
      this.ref.close(company);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.saving.set(false);
    }
  }
}
