/**
 * The slice of node-postgres (pg 8) this adapter calls. pg ships no type declarations and @types/pg is not a
 * dependency; declaring only what we use keeps the surface honest. Delete this file if @types/pg is added.
 */
declare module 'pg' {
  export interface QueryConfig {
    text: string;
    values?: unknown[];
    /** When set, pg prepares the statement once per connection under this name and reuses it. */
    name?: string;
  }

  export interface QueryResult<R = Record<string, unknown>> {
    rows: R[];
    /** Rows inserted, updated, deleted or returned; null for statements that report none. */
    rowCount: number | null;
  }

  export interface Queryable {
    query<R = Record<string, unknown>>(config: QueryConfig | string): Promise<QueryResult<R>>;
  }

  export interface ClientConfig {
    connectionString?: string;
    /** Startup options sent to the server, e.g. `-c search_path=...`. */
    options?: string;
    connectionTimeoutMillis?: number;
    types?: TypeOverrides;
    application_name?: string;
  }

  export interface PoolConfig extends ClientConfig {
    max?: number;
    idleTimeoutMillis?: number;
  }

  export interface PoolClient extends Queryable {
    /** Returns the client to the pool; an Error (or true) destroys it instead. */
    release(destroy?: Error | boolean): void;
  }

  export class Pool implements Queryable {
    constructor(config?: PoolConfig);
    query<R = Record<string, unknown>>(config: QueryConfig | string): Promise<QueryResult<R>>;
    connect(): Promise<PoolClient>;
    end(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }

  export class Client implements Queryable {
    constructor(config?: ClientConfig);
    query<R = Record<string, unknown>>(config: QueryConfig | string): Promise<QueryResult<R>>;
    connect(): Promise<void>;
    end(): Promise<void>;
  }

  export class TypeOverrides {
    setTypeParser(oid: number, parse: (text: string) => unknown): void;
  }

  export class DatabaseError extends Error {
    code?: string;
  }
}
