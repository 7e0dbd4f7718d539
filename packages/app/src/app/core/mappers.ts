import Parse from 'parse';
import { Activity, ACTIVITY_TYPES, ActivityType, Company, Contact, Deal, Ref, RelatedRef } from './models';
import { isStage } from './stages';

/** Unsaved objects (created offline) have no objectId yet; the SDK's local id keeps them addressable. */
export function idOf(object: Parse.Object): string {
  return object.id ?? object._getId();
}

export function isPending(object: Parse.Object): boolean {
  return !object.id || object.dirty();
}

const text = (object: Parse.Object, key: string): string => {
  const value = object.get(key);
  return typeof value === 'string' ? value : '';
};

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

const date = (object: Parse.Object, key: string): Date | null => {
  const value = object.get(key);
  return value instanceof Date ? value : null;
};

/**
 * A pointer's display name. LiveQuery events and offline saves carry bare pointers; the SDK shares state
 * between instances of the same object, so a name fetched earlier is usually there, and otherwise the
 * previous snapshot's name for the same id is kept.
 */
export function refOf(pointer: unknown, nameKey: string, previous?: Ref | null): Ref | null {
  if (!(pointer instanceof Parse.Object) || !pointer.id) return null;
  const name = pointer.get(nameKey);
  if (typeof name === 'string' && name) return { id: pointer.id, name };
  return { id: pointer.id, name: previous?.id === pointer.id ? previous.name : '' };
}

export function toDeal(object: Parse.Object, previous?: Deal): Deal {
  const stage = object.get('stage');
  const amount = object.get('amount');
  return {
    id: idOf(object),
    title: text(object, 'title'),
    amount: typeof amount === 'number' && Number.isFinite(amount) ? amount : null,
    stage: isStage(stage) ? stage : 'lead',
    company: refOf(object.get('company'), 'name', previous?.company),
    contact: refOf(object.get('contact'), 'name', previous?.contact),
    owner: refOf(object.get('assignedTo'), 'username', previous?.owner),
    expectedCloseDate: date(object, 'expectedCloseDate'),
    notes: text(object, 'notes'),
    probability: finite(object.get('probability')),
    position: finite(object.get('position')),
    stageChangedAt: date(object, 'stageChangedAt'),
    lostReason: text(object, 'lostReason'),
    createdAt: object.createdAt ?? null,
    updatedAt: object.updatedAt ?? null,
    pending: isPending(object),
  };
}

export function toCompany(object: Parse.Object): Company {
  return {
    id: idOf(object),
    name: text(object, 'name'),
    website: text(object, 'website'),
    industry: text(object, 'industry'),
    address: text(object, 'address'),
    notes: text(object, 'notes'),
    updatedAt: object.updatedAt ?? null,
    pending: isPending(object),
  };
}

export function toContact(object: Parse.Object, previous?: Contact): Contact {
  return {
    id: idOf(object),
    name: text(object, 'name'),
    email: text(object, 'email'),
    phone: text(object, 'phone'),
    company: refOf(object.get('company'), 'name', previous?.company),
    notes: text(object, 'notes'),
    updatedAt: object.updatedAt ?? null,
    pending: isPending(object),
    duplicateOf: refOf(object.get('duplicateOf'), 'name', previous?.duplicateOf),
  };
}

function relatedOf(pointer: unknown, previous?: RelatedRef | null): RelatedRef | null {
  if (!(pointer instanceof Parse.Object) || !pointer.id) return null;
  const className = pointer.className;
  if (className !== 'Deal' && className !== 'Contact') return null;
  const ref = refOf(pointer, className === 'Deal' ? 'title' : 'name', previous);
  return ref && { ...ref, className };
}

export function toActivity(object: Parse.Object, previous?: Activity): Activity {
  const type = object.get('type');
  return {
    id: idOf(object),
    type: (ACTIVITY_TYPES as readonly string[]).includes(type) ? (type as ActivityType) : 'note',
    subject: text(object, 'subject'),
    description: text(object, 'description'),
    dueDate: date(object, 'dueDate'),
    completedAt: date(object, 'completedAt'),
    related: relatedOf(object.get('relatedTo'), previous?.related),
    createdBy: refOf(object.get('createdBy'), 'username', previous?.createdBy),
    createdAt: object.createdAt ?? null,
    pending: isPending(object),
  };
}
