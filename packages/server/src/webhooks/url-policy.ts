/**
 * Which URLs a webhook may call. Only http(s): no file:, data:, javascript: or other schemes a fetch could
 * be talked into. A webhook can still name an internal address (SSRF: the server POSTs from inside the
 * network) — Webhook is admin-only for that reason, and WEBHOOK_ALLOWED_HOSTS restricts the hosts when the
 * admins are not trusted with the network. Redirects are never followed at delivery.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';

export function checkWebhookUrl(raw: unknown, allowedHosts?: readonly string[]): URL {
  if (typeof raw !== 'string' || raw.length > 2048) throw invalid('url must be a string of at most 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`url is not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('url must be an http:// or https:// URL');
  if (allowedHosts?.length) {
    const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (!allowedHosts.some((allowed) => allowed.toLowerCase().replace(/^\[(.*)\]$/, '$1') === host)) {
      throw invalid(`url host ${url.hostname} is not in WEBHOOK_ALLOWED_HOSTS`);
    }
  }
  return url;
}

const invalid = (message: string): ParseError => new ParseError(ErrorCode.VALIDATION_ERROR, message);
