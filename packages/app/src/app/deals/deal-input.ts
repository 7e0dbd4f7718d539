import Parse from 'parse';
import { Ref, Stage } from '../core/models';
import { setOrUnset } from '../core/object-fields';
import { pointer } from '../core/query-utils';

export interface DealInput {
  title: string;
  amount: number | null;
  stage: Stage;
  company: Ref | null;
  contact: Ref | null;
  owner: Ref | null;
  expectedCloseDate: Date | null;
  notes: string;
}

/** Writes a form's values onto a Deal. */
export function applyDealInput(deal: Parse.Object, input: Partial<DealInput>): void {
  if (input.title !== undefined) deal.set('title', input.title.trim());
  if (input.stage !== undefined) deal.set('stage', input.stage);
  if (input.amount !== undefined) setOrUnset(deal, 'amount', input.amount);
  if (input.expectedCloseDate !== undefined) setOrUnset(deal, 'expectedCloseDate', input.expectedCloseDate);
  if (input.notes !== undefined) setOrUnset(deal, 'notes', input.notes.trim() || null);
  if (input.company !== undefined) setOrUnset(deal, 'company', input.company && pointer('Company', input.company.id));
  if (input.contact !== undefined) setOrUnset(deal, 'contact', input.contact && pointer('Contact', input.contact.id));
  // An owner cannot be removed, only changed: a deal without one would be visible to managers only.
  if (input.owner) deal.set('assignedTo', pointer('_User', input.owner.id));
}
