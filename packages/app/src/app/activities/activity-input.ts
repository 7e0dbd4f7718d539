import Parse from 'parse';
import { ActivityType, RelatedRef } from '../core/models';
import { setOrUnset } from '../core/object-fields';
import { pointer } from '../core/query-utils';

export interface ActivityInput {
  type: ActivityType;
  subject: string;
  description: string;
  dueDate: Date | null;
  related: RelatedRef;
}

export function applyActivityInput(object: Parse.Object, input: ActivityInput): void {
  object.set('type', input.type);
  object.set('subject', input.subject.trim());
  setOrUnset(object, 'description', input.description.trim());
  setOrUnset(object, 'dueDate', input.dueDate);
  object.set('relatedTo', pointer(input.related.className, input.related.id));
  // A note records something that happened; it is done the moment it is written.
  if (input.type === 'note') object.set('completedAt', new Date());
}
