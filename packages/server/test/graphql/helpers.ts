/**
 * A plain-fetch GraphQL client for the GraphQL suites: it sends exactly what it is told over HTTP and returns
 * status and parsed body, so tests can assert Parse's wire shape (HTTP status, `errors[].extensions.code`).
 */
import type { TestServer } from '../helpers/server.js';

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface Caller {
  token?: string;
  master?: boolean;
  headers?: Record<string, string>;
}

export const graphqlUrl = (server: TestServer): string => `${new URL(server.serverURL).origin}/graphql`;

export class GraphQLClient {
  constructor(
    readonly server: TestServer,
    readonly caller: Caller = {},
  ) {}

  as(caller: Caller): GraphQLClient {
    return new GraphQLClient(this.server, caller);
  }

  headers(): Record<string, string> {
    return {
      'X-Parse-Application-Id': this.server.appId,
      ...(this.caller.token ? { 'X-Parse-Session-Token': this.caller.token } : {}),
      ...(this.caller.master ? { 'X-Parse-Master-Key': this.server.masterKey } : {}),
      ...this.caller.headers,
    };
  }

  async post(query: string, variables?: Record<string, unknown>, operationName?: string): Promise<GraphQLResponse> {
    const response = await fetch(graphqlUrl(this.server), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...this.headers() },
      body: JSON.stringify({ query, variables, operationName }),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  async get(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
    const url = new URL(graphqlUrl(this.server));
    url.searchParams.set('query', query);
    if (variables) url.searchParams.set('variables', JSON.stringify(variables));
    const response = await fetch(url, { headers: this.headers() });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  /** POSTs and fails the test unless the answer is 200 without errors; returns `data`. */
  async data(query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await this.post(query, variables);
    if (res.status !== 200 || res.body.errors) throw new Error(`GraphQL failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }
}

/** Relay global id, as the server issues it. */
export const globalId = (className: string, objectId: string): string =>
  Buffer.from(`${className}:${objectId}`).toString('base64');

/** The Parse codes in a response's errors, in order. */
export const codes = (body: any): unknown[] => (body.errors ?? []).map((e: any) => e.extensions?.code);
