import { FormControl, FormGroup, NonNullableFormBuilder, Validators } from '@angular/forms';
import { Deal, Ref, Stage } from '../core/models';
import { DealInput } from './deal-input';

export type DealForm = FormGroup<{
  title: FormControl<string>;
  amount: FormControl<number | null>;
  stage: FormControl<Stage>;
  company: FormControl<Ref | null>;
  contact: FormControl<Ref | null>;
  owner: FormControl<Ref | null>;
  expectedCloseDate: FormControl<Date | null>;
  notes: FormControl<string>;
}>;

export const MAX_AMOUNT = 1_000_000_000_000;

export function createDealForm(fb: NonNullableFormBuilder, deal?: Partial<Deal>): DealForm {
  return fb.group({
    title: fb.control(deal?.title ?? '', [Validators.required, Validators.maxLength(200), Validators.pattern(/\S/)]),
    amount: new FormControl<number | null>(deal?.amount ?? null, [Validators.min(0), Validators.max(MAX_AMOUNT)]),
    stage: fb.control<Stage>(deal?.stage ?? 'lead', Validators.required),
    company: new FormControl<Ref | null>(deal?.company ?? null),
    contact: new FormControl<Ref | null>(deal?.contact ?? null),
    owner: new FormControl<Ref | null>(deal?.owner ?? null),
    expectedCloseDate: new FormControl<Date | null>(deal?.expectedCloseDate ?? null),
    notes: fb.control(deal?.notes ?? '', Validators.maxLength(5000)),
  });
}

export function dealFormValue(form: DealForm): DealInput {
  const value = form.getRawValue();
  return {
    ...value,
    title: value.title.trim(),
    amount: value.amount === null || Number.isNaN(value.amount) ? null : Number(value.amount),
  };
}
