/**
 * Minimal Parse REST client used for schema set-up, seeding and pre-flight checks (never for the
 * measured load, which autocannon drives). Errors carry the full request/response so a failing target
 * can be reported precisely instead of being worked around.
 */
export type Auth = { master: true } | { sessionToken: string } | { anonymous: true };

export interface RestResponse {
  status: number;
  text: string;
  json: unknown;
}

export class RestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly responseText: string,
  ) {
    super(`${method} ${path} -> HTTP ${status} ${responseText.slice(0, 500)}`);
  }
}

export interface RestClient {
  send(method: string, path: string, auth: Auth, body?: unknown, timeoutMs?: number): Promise<RestResponse>;
  /** Like send() but throws RestError unless the status is 2xx. */
  ok(method: string, path: string, auth: Auth, body?: unknown, timeoutMs?: number): Promise<unknown>;
}

export function createRestClient(origin: string, appId: string, masterKey: string): RestClient {
  const headers = (auth: Auth): Record<string, string> => {
    const h: Record<string, string> = { 'X-Parse-Application-Id': appId };
    if ('master' in auth) h['X-Parse-Master-Key'] = masterKey;
    if ('sessionToken' in auth) h['X-Parse-Session-Token'] = auth.sessionToken;
    return h;
  };

  const send = async (method: string, path: string, auth: Auth, body?: unknown, timeoutMs = 120_000): Promise<RestResponse> => {
    const init: RequestInit = { method, headers: headers(auth), signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    const res = await fetch(origin + path, init);
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  };

  const ok = async (method: string, path: string, auth: Auth, body?: unknown, timeoutMs?: number) => {
    const res = await send(method, path, auth, body, timeoutMs);
    if (res.status < 200 || res.status > 299) throw new RestError(method, path, res.status, res.text);
    return res.json;
  };

  return { send, ok };
}
