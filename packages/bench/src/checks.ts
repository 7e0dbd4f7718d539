/**
 * Pre-flight verification of a scenario's responses. "Errors" mean the scenario would benchmark error
 * or empty responses, so it is not measured at all; "warnings" mean the answers are wrong in a way that
 * changes the work done (missing ACL filter, wrong order, wrong count), so the row is measured but
 * marked invalid.
 */
import type autocannon from 'autocannon';

export interface Findings {
  errors: string[];
  warnings: string[];
}

export interface Sampled {
  status: number;
  text: string;
  json: unknown;
}

type Json = Record<string, unknown>;

/** Sends one of the scenario's own autocannon request specs, so the pre-flight tests the measured bytes. */
export async function sample(origin: string, request: autocannon.Request): Promise<Sampled> {
  const res = await fetch(origin + request.path, {
    method: request.method ?? 'GET',
    headers: request.headers,
    body: request.body === undefined ? undefined : String(request.body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

export function describe(request: autocannon.Request, res: Sampled): string {
  const body = request.body === undefined ? '' : ` body ${String(request.body).slice(0, 200)}`;
  return `${request.method ?? 'GET'} ${request.path}${body} -> HTTP ${res.status} ${res.text.slice(0, 300)}`;
}

export function expectStatus(findings: Findings, request: autocannon.Request, res: Sampled, status: number): boolean {
  if (res.status >= 200 && res.status < 300) {
    if (res.status !== status) findings.warnings.push(`expected HTTP ${status}: ${describe(request, res)}`);
    return true;
  }
  findings.errors.push(describe(request, res));
  return false;
}

/** Returns the results array when the answer is a non-empty find result. */
export function expectResults(findings: Findings, request: autocannon.Request, res: Sampled): Json[] | undefined {
  if (!expectStatus(findings, request, res, 200)) return undefined;
  const results = (res.json as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) {
    findings.errors.push(`no results array: ${describe(request, res)}`);
    return undefined;
  }
  if (results.length === 0) {
    findings.errors.push(`empty results: ${describe(request, res)}`);
    return undefined;
  }
  return results as Json[];
}

const dateIso = (value: unknown): string | undefined =>
  (value as { __type?: string; iso?: string } | undefined)?.__type === 'Date' ? (value as { iso: string }).iso : undefined;

const pointerId = (value: unknown): string | undefined => (value as { objectId?: string } | undefined)?.objectId;

export function checkLength(findings: Findings, what: string, results: Json[], expected: number): void {
  if (results.length !== expected) findings.warnings.push(`${what}: ${results.length} results, expected ${expected}`);
}

export function checkOrder(findings: Findings, what: string, results: Json[], field: string, descending: boolean): void {
  const dates = results.map((r) => dateIso(r[field]));
  if (dates.some((d) => d === undefined)) {
    findings.warnings.push(`${what}: ${field} is not a Date in every result`);
    return;
  }
  for (let i = 1; i < dates.length; i++) {
    const ordered = descending ? dates[i - 1]! >= dates[i]! : dates[i - 1]! <= dates[i]!;
    if (!ordered) {
      findings.warnings.push(`${what}: not ordered by ${descending ? '-' : ''}${field} at position ${i}`);
      return;
    }
  }
}

export function checkFirstDate(findings: Findings, what: string, results: Json[], field: string, expected: string): void {
  const got = dateIso(results[0]?.[field]);
  if (got !== expected) findings.warnings.push(`${what}: first ${field} is ${got}, expected ${expected}`);
}

/** A rep must only ever see rows whose pointer field names the expected object (ACL or relation filter). */
export function checkPointer(findings: Findings, what: string, results: Json[], field: string, objectId: string): void {
  const stray = results.filter((r) => pointerId(r[field]) !== objectId).length;
  if (stray > 0) findings.warnings.push(`${what}: ${stray} results whose ${field} is not ${objectId}`);
}

export function checkIncluded(findings: Findings, what: string, results: Json[], fields: string[]): void {
  for (const field of fields) {
    const missing = results.filter((r) => (r[field] as { __type?: string } | undefined)?.__type !== 'Object');
    if (missing.length > 0) {
      const seen = JSON.stringify(missing[0]![field]) ?? 'absent';
      findings.warnings.push(
        `${what}: ${field} not included in ${missing.length} results (first: ${field} = ${seen.slice(0, 200)})`,
      );
    }
  }
}
