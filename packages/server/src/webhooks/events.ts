/**
 * Object changes → webhook events: `<class>.created|updated|deleted`, plus `<class>.stage_changed` when an
 * update changes `stage` (the Deal pipeline). The class part is the class name with a lower-case first
 * letter (`deal`, `contact`, `lineItem`). Parse's system classes (`_User`, …) and the webhook classes
 * themselves produce none.
 */
import { encodeRow, type ParseObjectJson } from '../codec/row-codec.js';
import type { ChangeEvent } from '../livequery/change-feed.js';
import type { CompiledClass } from '../schema/compiled.js';
import { DELIVERY_CLASS, WEBHOOK_CLASS } from './schema.js';

export interface WebhookEvent {
  name: string;
  className: string;
  object: ParseObjectJson;
  /** Updates: the previous wire values of the fields that changed (null when a field was unset before). */
  previous?: Record<string, unknown>;
  occurredAt: string;
}

export const isEventSource = (className: string): boolean =>
  !className.startsWith('_') && className !== WEBHOOK_CLASS && className !== DELIVERY_CLASS;

export const eventPrefix = (className: string): string => className.charAt(0).toLowerCase() + className.slice(1);

const VERB = { create: 'created', update: 'updated', delete: 'deleted' } as const;

export function eventsFor(change: ChangeEvent, cls: CompiledClass): WebhookEvent[] {
  const row = change.after ?? change.before;
  if (!row || !isEventSource(change.className)) return [];
  const prefix = eventPrefix(change.className);
  const object = encodeRow(cls, row);
  const occurredAt = new Date(change.at).toISOString();
  const base = { className: change.className, object, occurredAt };
  if (change.kind !== 'update' || !change.before) return [{ ...base, name: `${prefix}.${VERB[change.kind]}` }];
  const before = encodeRow(cls, change.before);
  const previous: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(object)])) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(object[key])) previous[key] = before[key] ?? null;
  }
  const events: WebhookEvent[] = [{ ...base, name: `${prefix}.updated`, previous }];
  if ('stage' in previous) events.push({ ...base, name: `${prefix}.stage_changed`, previous });
  return events;
}

/** Does a webhook's `events` list select this event? Exact names, `<class>.*`, or `*`. */
export function subscribes(events: readonly unknown[], name: string): boolean {
  const prefix = name.slice(0, name.indexOf('.'));
  return events.some((e) => e === name || e === '*' || e === `${prefix}.*`);
}

const EVENT_PATTERN = /^(\*|[a-z][A-Za-z0-9_]*\.(\*|created|updated|deleted|stage_changed))$/;

export const isValidEventName = (name: unknown): name is string => typeof name === 'string' && EVENT_PATTERN.test(name);
