import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { AuthService } from '../auth/auth.service';
import { describeError } from '../core/errors';
import { Deal, Ref, Stage } from '../core/models';
import { DealService } from './deal.service';
import { DealFields } from './deal-fields';
import { createDealForm, dealFormValue } from './deal-form';

export interface NewDealDefaults {
  stage?: Stage;
  company?: Ref | null;
  contact?: Ref | null;
}

@Component({
  selector: 'crm-new-deal-dialog',
  imports: [ReactiveFormsModule, MatDialogModule, MatButtonModule, MatProgressBarModule, DealFields],
  template: `
    <form [formGroup]="form" (ngSubmit)="save()" novalidate>
      <h2 mat-dialog-title>New deal</h2>
      <mat-dialog-content>
        @if (error(); as message) {
          <div class="banner error" role="alert">{{ message }}</div>
        }
        <crm-deal-fields [form]="form" [showNotes]="false" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="saving()">Create deal</button>
      </mat-dialog-actions>
      @if (saving()) {
        <mat-progress-bar mode="indeterminate" aria-label="Saving" />
      }
    </form>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NewDealDialog {
  private readonly deals = inject(DealService);
  private readonly ref = inject<MatDialogRef<NewDealDialog, Deal>>(MatDialogRef);
  private readonly defaults = inject<NewDealDefaults | null>(MAT_DIALOG_DATA, { optional: true });
  private readonly auth = inject(AuthService);

  readonly saving = signal(false);
  readonly error = signal<string | null>(null);
  readonly form = createDealForm(inject(NonNullableFormBuilder), {
    stage: this.defaults?.stage ?? 'lead',
    company: this.defaults?.company ?? null,
    contact: this.defaults?.contact ?? null,
    owner: this.me(),
  });

  async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    try {
      const { deal } = await this.deals.create(dealFormValue(this.form));
      this.ref.close(deal);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.saving.set(false);
    }
  }

  private me(): Ref | null {
    const user = this.auth.user();
    return user ? { id: user.id, name: user.username } : null;
  }
}
