/**
 * A deliberately dumb HTTP client for wire-level tests: it sends exactly what it is told (no retries, no SDK
 * conventions) and hands back status, headers and the parsed body so assertions can pin the protocol down.
 */
import { expect } from 'vitest';
import type { TestServer } from './server.js';

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. Typed loosely because tests probe arbitrary shapes. */
  body: any;
  text: string;
}

export interface RawRequest {
  /** Added to the URL; non-string values are JSON-encoded, as the REST API expects for `where`. */
  query?: Record<string, unknown>;
  /** Objects are sent as JSON; strings are sent untouched (for malformed-body cases). */
  body?: unknown;
  /** Defaults to application/json when there is a body; `null` sends none. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Send the master key header. */
  master?: boolean;
  /** Override or (with `null`) omit X-Parse-Application-Id. */
  appId?: string | null;
}

export class RawClient {
  constructor(readonly server: TestServer) {}

  /** `path` is relative to the mount path (`/classes/Deal`) unless it is an absolute URL. */
  url(pathOrUrl: string, query?: Record<string, unknown>): string {
    const url = new URL(/^https?:/.test(pathOrUrl) ? pathOrUrl : `${this.server.serverURL}${pathOrUrl}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return url.toString();
  }

  async request(method: string, pathOrUrl: string, options: RawRequest = {}): Promise<RawResponse> {
    const headers: Record<string, string> = {};
    const appId = options.appId === undefined ? this.server.appId : options.appId;
    if (appId !== null) headers['X-Parse-Application-Id'] = appId;
    if (options.master) headers['X-Parse-Master-Key'] = this.server.masterKey;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
      if (contentType !== null) headers['Content-Type'] = contentType;
    }
    Object.assign(headers, options.headers);
    const response = await fetch(this.url(pathOrUrl, options.query), { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? text : JSON.parse(text);
    } catch {
      // Not JSON: keep the text so the assertion message shows what came back.
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  get(pathOrUrl: string, options?: RawRequest): Promise<RawResponse> {
    return this.request('GET', pathOrUrl, options);
  }

  post(pathOrUrl: string, body?: unknown, options?: RawRequest): Promise<RawResponse> {
    return this.request('POST', pathOrUrl, { ...options, body });
  }

  put(pathOrUrl: string, body?: unknown, options?: RawRequest): Promise<RawResponse> {
    return this.request('PUT', pathOrUrl, { ...options, body });
  }

  delete(pathOrUrl: string, options?: RawRequest): Promise<RawResponse> {
    return this.request('DELETE', pathOrUrl, options);
  }
}

export const rawClient = (server: TestServer): RawClient => new RawClient(server);

/**
 * What an error assertion compares: status and code, plus the message so a failing diff shows what the server
 * said. Some parse-server 500s carry `message` instead of `error`.
 */
export function outcome(res: RawResponse): { status: number; code: unknown; error: unknown } {
  const body = typeof res.body === 'object' && res.body !== null ? res.body : {};
  return { status: res.status, code: body.code, error: body.error ?? body.message ?? res.text };
}

/** Expected `outcome()` of a Parse error: `{code, error}` with a non-empty message. */
export const parseError = (status: number, code: number) => ({ status, code, error: expect.stringMatching(/./) });

export const OBJECT_ID = /^[A-Za-z0-9]{10}$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
