import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormControl, FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDatepickerModule } from '@angular/material/datepicker';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSnackBar } from '@angular/material/snack-bar';
import { describeError } from '../core/errors';
import { ACTIVITY_TYPES, ActivityType, RelatedRef } from '../core/models';
import { ActivityService } from './activity.service';
import { ACTIVITY_TYPE_INFO } from './activity-types';

/** Log a call, email, meeting or note against one deal or contact. */
@Component({
  selector: 'crm-activity-composer',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatButtonToggleModule,
    MatDatepickerModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
  ],
  template: `
    <form [formGroup]="form" (ngSubmit)="submit()" novalidate aria-label="Log an activity">
      <mat-button-toggle-group
        formControlName="type"
        aria-label="Activity type"
        class="types"
        [hideSingleSelectionIndicator]="true"
      >
        @for (type of types; track type) {
          <mat-button-toggle [value]="type"
            ><mat-icon aria-hidden="true">{{ info[type].icon }}</mat-icon
            >{{ info[type].label }}</mat-button-toggle
          >
        }
      </mat-button-toggle-group>

      <div class="row">
        <mat-form-field class="subject">
          <mat-label>{{ isNote() ? 'Note' : 'Subject' }}</mat-label>
          <input matInput formControlName="subject" maxlength="200" required [placeholder]="placeholder()" />
          @if (form.controls.subject.hasError('required') || form.controls.subject.hasError('pattern')) {
            <mat-error>{{ isNote() ? 'Write the note' : 'Add a subject' }}</mat-error>
          }
        </mat-form-field>
        @if (!isNote()) {
          <mat-form-field class="due">
            <mat-label>Due</mat-label>
            <input matInput [matDatepicker]="due" formControlName="dueDate" />
            <mat-datepicker-toggle matIconSuffix [for]="due" />
            <mat-datepicker #due />
          </mat-form-field>
        }
      </div>
      <mat-form-field class="description">
        <mat-label>Details (optional)</mat-label>
        <textarea matInput formControlName="description" rows="2" maxlength="5000"></textarea>
      </mat-form-field>
      <div class="actions">
        <button mat-flat-button type="submit" [disabled]="saving()">
          <mat-icon>{{ info[type()].icon }}</mat-icon>{{ info[type()].action }}
        </button>
      </div>
    </form>
  `,
  styles: `
    form {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .types {
      align-self: flex-start;
      --mat-button-toggle-height: 34px;
      --mat-button-toggle-shape: 8px;
      mat-icon {
        font-size: 18px;
        width: 18px;
        height: 18px;
        margin-right: 6px;
        vertical-align: -4px;
      }
    }
    .row {
      display: flex;
      gap: 12px;
      flex-wrap: wrap;
    }
    .subject {
      flex: 2 1 220px;
    }
    .due {
      flex: 1 1 150px;
    }
    .description {
      width: 100%;
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActivityComposer {
  private readonly activities = inject(ActivityService);
  private readonly snackBar = inject(MatSnackBar);

  readonly related = input.required<RelatedRef>();
  readonly logged = output<void>();

  private readonly formDirective = viewChild.required(FormGroupDirective);
  protected readonly types = ACTIVITY_TYPES;
  protected readonly info = ACTIVITY_TYPE_INFO;
  protected readonly saving = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({
    type: ['call' as ActivityType],
    subject: ['', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]],
    dueDate: new FormControl<Date | null>(null),
    description: ['', Validators.maxLength(5000)],
  });
  protected readonly type = toSignal(this.form.controls.type.valueChanges, { initialValue: this.form.controls.type.value });
  protected readonly isNote = computed(() => this.type() === 'note');
  protected readonly placeholder = computed(
    () =>
      ({
        call: 'e.g. Discovery call',
        email: 'e.g. Sent the proposal',
        meeting: 'e.g. Demo with the buying team',
        note: 'What happened?',
      })[this.type()],
  );

  async submit(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    const value = this.form.getRawValue();
    try {
      const { outcome } = await this.activities.log({
        ...value,
        dueDate: value.type === 'note' ? null : value.dueDate,
        related: this.related(),
      });
      // resetForm also clears "submitted", so the emptied subject is not shown as an error.
      this.formDirective().resetForm({ type: value.type, subject: '', dueDate: null, description: '' });
      this.logged.emit();
      if (outcome === 'queued') this.snackBar.open('Saved on this device. It will be sent when you are back online.', 'OK');
    } catch (error) {
      this.snackBar.open(`Could not save: ${describeError(error)}`, 'Dismiss');
    } finally {
      this.saving.set(false);
    }
  }
}
