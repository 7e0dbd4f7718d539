/**
 * Rules for `Webhook` writes, in the write pipeline like every class rule: the URL must be http(s) (and on the
 * allowlist when one is configured), events must be known event names, and a webhook saved without a secret
 * gets a random one.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { ClassHooks } from '../service/write-hooks.js';
import { isValidEventName } from './events.js';
import { checkWebhookUrl } from './url-policy.js';

export function webhookHooks(allowedHosts: readonly string[] | undefined): ClassHooks {
  return {
    prepare(_auth, _cls, body, target) {
      if ('url' in body && !isDelete(body.url)) checkWebhookUrl(body.url, allowedHosts);
      if ('events' in body && !isDelete(body.events)) checkEvents(body.events);
      if ('secret' in body && !isDelete(body.secret) && (typeof body.secret !== 'string' || body.secret.length < 16)) {
        throw new ParseError(ErrorCode.VALIDATION_ERROR, 'secret must be a string of at least 16 characters');
      }
      if (target.mode === 'create' && (body.secret === undefined || body.secret === '')) {
        body.secret = randomBytes(24).toString('hex');
      }
      return {};
    },
  };
}

function checkEvents(events: unknown): void {
  if (!Array.isArray(events) || events.length === 0 || events.length > 100 || !events.every(isValidEventName)) {
    throw new ParseError(
      ErrorCode.VALIDATION_ERROR,
      'events must be a non-empty list of event names like "deal.created", "deal.stage_changed", "contact.*" or "*"',
    );
  }
}

const isDelete = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && (value as { __op?: unknown }).__op === 'Delete';
