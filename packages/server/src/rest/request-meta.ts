/**
 * Reads Parse's request metadata from headers or, for the JS SDK (which sends everything as a text/plain
 * POST to avoid CORS pre-flight), from underscore keys in the JSON body — and strips those keys from the
 * payload so they never reach the data layer.
 */
import type { HttpMethod } from './api-types.js';

export interface RequestMeta {
  method: HttpMethod;
  appId?: string;
  clientKey?: string;
  masterKey?: string;
  sessionToken?: string;
  installationId?: string;
  requestId?: string;
  clientVersion?: string;
  context?: Record<string, unknown>;
  payload: Record<string, unknown>;
}

const BODY_META_KEYS = new Set([
  '_method',
  '_ApplicationId',
  '_JavaScriptKey',
  '_ClientKey',
  '_RestAPIKey',
  '_MasterKey',
  '_SessionToken',
  '_InstallationId',
  '_ClientVersion',
  '_context',
  '_RevocableSession',
  '_ContentType',
]);

const METHODS = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'DELETE']);

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function readRequestMeta(httpMethod: string, headers: Headers, body: unknown): RequestMeta {
  const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const payload: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (BODY_META_KEYS.has(key)) continue;
    // defineProperty for `__proto__`: assigning it would set the prototype; it must stay a visible (and then
    // refused) own key. Plain assignment for the rest: defineProperty costs more on every request.
    if (key === '__proto__')
      Object.defineProperty(payload, key, { value: raw[key], enumerable: true, writable: true, configurable: true });
    else payload[key] = raw[key];
  }
  let method = httpMethod as HttpMethod;
  const override = str(raw._method)?.toUpperCase() as HttpMethod | undefined;
  if (httpMethod === 'POST' && override && METHODS.has(override)) method = override;
  return {
    method,
    appId: header(headers, 'x-parse-application-id') ?? str(raw._ApplicationId),
    clientKey:
      header(headers, 'x-parse-javascript-key') ??
      header(headers, 'x-parse-rest-api-key') ??
      header(headers, 'x-parse-client-key') ??
      str(raw._JavaScriptKey) ??
      str(raw._RestAPIKey) ??
      str(raw._ClientKey),
    masterKey: header(headers, 'x-parse-master-key') ?? str(raw._MasterKey),
    sessionToken: header(headers, 'x-parse-session-token') ?? str(raw._SessionToken),
    installationId: header(headers, 'x-parse-installation-id') ?? str(raw._InstallationId),
    requestId: header(headers, 'x-parse-request-id'),
    clientVersion: header(headers, 'x-parse-client-version') ?? str(raw._ClientVersion),
    context: contextFrom(header(headers, 'x-parse-cloud-context') ?? raw._context),
    payload,
  };
}

/** `_context` arrives as an object (SDK body) or JSON text (header); anything else is ignored. */
function contextFrom(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}
