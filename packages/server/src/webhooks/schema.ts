/**
 * The two classes behind webhooks. `Webhook` (url, events, secret, active) is managed by admins (the CRM
 * policy's `admins` role) or the master key; `WebhookDelivery` is the delivery log, written by the server and
 * readable by the same people. Nobody else can see either — a secret or a payload never reaches a rep.
 */
import type { ClassLevelPermissions, ClassSchema } from '../schema/types.js';

export const WEBHOOK_CLASS = 'Webhook';
export const DELIVERY_CLASS = 'WebhookDelivery';

const only = (principal: string | null): Record<string, boolean> => (principal ? { [principal]: true } : {});

function clp(read: string | null, write: string | null): ClassLevelPermissions {
  return {
    find: only(read),
    count: only(read),
    get: only(read),
    create: only(write),
    update: only(write),
    delete: only(write),
    addField: {},
    protectedFields: {},
  };
}

export function webhookSchemas(crmPolicy: boolean): ClassSchema[] {
  const admins = crmPolicy ? 'role:admins' : null;
  return [
    {
      className: WEBHOOK_CLASS,
      fields: {
        url: { type: 'String', required: true, description: 'http(s) URL the events are POSTed to' },
        events: { type: 'Array', required: true, description: 'Event names, e.g. deal.created, deal.stage_changed, *' },
        secret: { type: 'String', description: 'HMAC-SHA256 signing secret (generated when left empty)' },
        active: { type: 'Boolean', defaultValue: true },
        description: { type: 'String' },
      },
      classLevelPermissions: clp(admins, admins),
      indexes: {},
    },
    {
      className: DELIVERY_CLASS,
      fields: {
        webhook: { type: 'Pointer', targetClass: WEBHOOK_CLASS },
        event: { type: 'String' },
        deliveryId: { type: 'String' },
        url: { type: 'String' },
        status: { type: 'String', description: 'succeeded, retrying, delivering or failed' },
        statusCode: { type: 'Number' },
        attempt: { type: 'Number' },
        durationMs: { type: 'Number' },
        error: { type: 'String' },
        nextAttemptAt: { type: 'Date' },
        payload: { type: 'String', description: 'The exact JSON body sent (re-signed on every attempt)' },
      },
      // Written by the server only (master); admins read it.
      classLevelPermissions: clp(admins, null),
      indexes: { webhook_createdAt: { webhook: 1, createdAt: -1 }, status_nextAttemptAt: { status: 1, nextAttemptAt: 1 } },
    },
  ];
}
