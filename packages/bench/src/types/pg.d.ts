// pg ships no types and @types/pg is not a dependency of this workspace; only what the bench uses.
declare module 'pg' {
  namespace pg {
    interface QueryResult<R> {
      rows: R[];
      rowCount: number | null;
    }
    class Client {
      constructor(config: { connectionString: string });
      connect(): Promise<void>;
      query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
      end(): Promise<void>;
    }
  }
  export = pg;
}
