/**
 * What one subscriber is told about one change: which event it is for them (create, update, enter, leave,
 * delete — or nothing), and the object as they may see it (protected fields removed, `keys` applied,
 * `include` resolved with their own read permissions).
 */
import type { Row } from '../storage/adapter.js';
import { encodeRow, type ParseObjectJson } from '../codec/row-codec.js';
import { resolveIncludes } from '../service/include.js';
import type { ChangeEvent } from './change-feed.js';
import type { Subscription } from './subscription.js';

export type EventOp = 'create' | 'update' | 'enter' | 'leave' | 'delete';

const seen = (sub: Subscription, row: Row | null): boolean => row !== null && sub.visible(row) && sub.matches(row);

export function eventOpFor(sub: Subscription, event: ChangeEvent): EventOp | null {
  const before = seen(sub, event.before);
  const after = seen(sub, event.after);
  switch (event.kind) {
    case 'create':
      return after ? 'create' : null;
    case 'delete':
      return before ? 'delete' : null;
    case 'update':
      if (before && after) return watchedFieldChanged(sub, event) ? 'update' : null;
      if (after) return 'enter';
      if (before) return 'leave';
      return null;
  }
}

function watchedFieldChanged(sub: Subscription, event: ChangeEvent): boolean {
  if (!sub.watch || sub.watch.length === 0) return true;
  return sub.watch.some((field) => JSON.stringify(event.before?.[field]) !== JSON.stringify(event.after?.[field]));
}

const ALWAYS = new Set(['objectId', 'createdAt', 'updatedAt', 'className']);

function view(sub: Subscription, row: Row): ParseObjectJson {
  const object = sub.ctx.present(sub.cls, encodeRow(sub.cls, row, sub.cls.relationFields));
  if (sub.keys) for (const key of Object.keys(object)) if (!ALWAYS.has(key) && !sub.keys.has(key)) delete object[key];
  object.className = sub.cls.className;
  return object;
}

/**
 * Only versions the subscriber may read are ever shown: an object that leaves because its ACL no longer lets
 * them read it is shown as they last saw it, and `original` is left out when they could not read it.
 */
export async function eventFrame(
  sub: Subscription,
  event: ChangeEvent,
  op: EventOp,
  clientId: string,
  installationId?: string,
): Promise<Record<string, unknown>> {
  const readable = (row: Row | null): row is Row => row !== null && sub.visible(row);
  let current: Row;
  if (op === 'delete') current = event.before!;
  else if (op === 'leave') current = readable(event.after) ? event.after : event.before!;
  else current = event.after!;
  const object = view(sub, current);
  const hasOriginal = (op === 'update' || op === 'enter' || op === 'leave') && readable(event.before);
  const original = hasOriginal ? view(sub, event.before!) : undefined;
  if (sub.include.length) await resolveIncludes(sub.ctx, original ? [object, original] : [object], sub.include);
  return { op, clientId, installationId, requestId: sub.requestId, object, ...(original ? { original } : {}) };
}

/**
 * One change reaches many subscribers who mostly see the same object (same class, `keys` and hidden fields):
 * its JSON is rendered once per distinct view and shared, so fan-out costs a string concatenation and a send
 * per subscriber. Subscriptions with `include` (permission-dependent) or on _User (users see their own
 * protected fields) take the per-subscriber path in eventFrame.
 */
export type RenderCache = Map<string, string>;

export function canShareRendering(sub: Subscription): boolean {
  return sub.include.length === 0 && sub.cls.className !== '_User';
}

function sharedView(sub: Subscription, row: Row, which: 'before' | 'after', cache: RenderCache): string {
  const key = `${sub.viewKey}|${which}`;
  let json = cache.get(key);
  if (json === undefined) {
    json = JSON.stringify(view(sub, row));
    cache.set(key, json);
  }
  return json;
}

export function sharedEventFrame(
  sub: Subscription,
  event: ChangeEvent,
  op: EventOp,
  clientId: string,
  installationId: string | undefined,
  cache: RenderCache,
): string {
  const readable = (row: Row | null): row is Row => row !== null && sub.visible(row);
  let object: string;
  if (op === 'delete') object = sharedView(sub, event.before!, 'before', cache);
  else if (op === 'leave' && !readable(event.after)) object = sharedView(sub, event.before!, 'before', cache);
  else object = sharedView(sub, event.after!, 'after', cache);
  const hasOriginal = (op === 'update' || op === 'enter' || op === 'leave') && readable(event.before);
  const head = JSON.stringify({ op, clientId, installationId, requestId: sub.requestId });
  const original = hasOriginal ? `,"original":${sharedView(sub, event.before!, 'before', cache)}` : '';
  return `${head.slice(0, -1)},"object":${object}${original}}`;
}
