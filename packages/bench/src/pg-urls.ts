/**
 * Where the benches find PostgreSQL: the machine's server (trust auth, user postgres), database `test` for
 * administration; BENCH_PG_URL points every bench elsewhere.
 */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The same server, another database (one a bench created). */
export function pgDatabaseUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
