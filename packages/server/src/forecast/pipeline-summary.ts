/**
 * `pipelineSummary` ({from, to}): per stage the number of deals, their total and weighted amount, plus the
 * win rate and average cycle time, over the deals the caller may read. One GROUP BY statement per call: the
 * caller's read filter (ACL, class-level and pointer permissions — the very Expr a REST find adds) is
 * compiled into its WHERE, so a rep's numbers come from the rep's deals only and master sees all.
 *
 * "Over a period" [from, to): an open deal counts when its expectedCloseDate falls in the period, a closed
 * (won/lost) deal when it closed in it — its stageChangedAt, the time it entered that stage, which is also
 * the changedAt of its last DealStageHistory row. Either bound may be left out; neither means every deal.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import { canonicalIso, isoFromDateJson } from '../codec/values.js';
import type { PipelineStage } from '../config/stages.js';
import { and, FALSE, TRUE, type Expr } from '../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import type { FieldType } from '../schema/types.js';
import { readContextFor, requireClassAccess } from '../security/read-access.js';
import type { Auth } from '../security/auth.js';
import type { StorageAdapter, Row } from '../storage/adapter.js';
import { compileWhere } from '../storage/sql/compile-where.js';
import { fromRollupRows, rollupStatement } from './rollup.js';
import { ident, join, keyword, qualified, sql, type DialectName, type SqlFragment } from '../storage/sql/fragment.js';

export interface Period {
  from: string | null;
  to: string | null;
}

export interface StageSummary {
  stage: string | null;
  label: string;
  probability: number;
  won: boolean;
  lost: boolean;
  /** False for a stage value found on deals but absent from the configuration (weighted at 0). */
  configured: boolean;
  count: number;
  amount: number;
  weightedAmount: number;
}

export interface PipelineSummary extends Period {
  stages: StageSummary[];
  /** The open (neither won nor lost) stages together: the pipeline proper. */
  open: { count: number; amount: number; weightedAmount: number };
  wonCount: number;
  lostCount: number;
  /** won / (won + lost) among deals closed in the period; null when none closed. */
  winRate: number | null;
  /** Mean days from createdAt to closing, over deals closed in the period; null when none closed. */
  avgCycleDays: number | null;
}

const DEAL = 'Deal';
/** Fields the statement reads, with the types it relies on. */
const USED_FIELDS: Record<string, FieldType> = {
  stage: 'String',
  amount: 'Number',
  probability: 'Number',
  expectedCloseDate: 'Date',
  stageChangedAt: 'Date',
  createdAt: 'Date',
};

const badParam = (message: string) => new ParseError(ErrorCode.VALIDATION_ERROR, message);

function dateParam(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const iso = typeof value === 'string' ? canonicalIso(value) : isoFromDateJson(value);
  if (iso === null) throw badParam(`${name} must be a date (ISO-8601 string or {"__type":"Date","iso":…})`);
  return iso;
}

/** Checks the function's parameters; anything unexpected answers 142 rather than being ignored. */
export function parsePeriod(params: Record<string, unknown>): Period {
  for (const key of Object.keys(params)) {
    if (key !== 'from' && key !== 'to') throw badParam(`Unknown parameter for pipelineSummary: ${key}`);
  }
  const period = { from: dateParam('from', params.from), to: dateParam('to', params.to) };
  if (period.from && period.to && period.from >= period.to) throw badParam('from must be before to');
  return period;
}

const ref = (field: string, type: FieldType) => ({ field, type, path: [] });

function within(field: string, period: Period): Expr {
  const bounds: Expr[] = [];
  if (period.from) bounds.push({ kind: 'compare', ref: ref(field, 'Date'), op: 'gte', value: period.from });
  if (period.to) bounds.push({ kind: 'compare', ref: ref(field, 'Date'), op: 'lt', value: period.to });
  return and(...bounds);
}

const closedNames = (stages: readonly PipelineStage[]) => stages.filter((s) => s.won || s.lost).map((s) => s.name);

/** Deals in a won or lost stage. */
export function closedStageFilter(stages: readonly PipelineStage[]): Expr {
  const names = closedNames(stages);
  return names.length ? { kind: 'in', ref: ref('stage', 'String'), values: names, negate: false } : FALSE;
}

/** Which deals the period selects (see the header): open ones by expected close, closed ones by close date. */
export function periodFilter(stages: readonly PipelineStage[], period: Period): Expr {
  if (!period.from && !period.to) return TRUE;
  const names = closedNames(stages);
  const open: Expr = names.length
    ? and({ kind: 'in', ref: ref('stage', 'String'), values: names, negate: true }, within('expectedCloseDate', period))
    : within('expectedCloseDate', period);
  if (!names.length) return open;
  return { kind: 'or', items: [open, and(closedStageFilter(stages), within('stageChangedAt', period))] };
}

/** Days between two ISO-text columns, in each dialect's date arithmetic. */
function daysBetween(dialect: DialectName, later: SqlFragment, earlier: SqlFragment): SqlFragment {
  return dialect === 'sqlite'
    ? sql`(julianday(${later}) - julianday(${earlier}))`
    : sql`(EXTRACT(EPOCH FROM (CAST(${later} AS timestamptz) - CAST(${earlier} AS timestamptz))) / 86400.0)`;
}

/** The sums a summary is folded from (summarize), by name; the rollup (rollup.ts) stores the same ones. */
export const SUM_NAMES = ['n', 'amount', 'plainAmount', 'ownWeighted', 'cycleDays', 'cycles'] as const;
export type SumName = (typeof SUM_NAMES)[number];

/** Aggregate expressions over Deal rows, in SUM_NAMES order; NULL sums (no row had the value) read as 0. */
export function dealSums(dialect: DialectName, schema: SchemaLookup, stages: readonly PipelineStage[]): SqlFragment[] {
  const col = (name: string) => qualified(DEAL, name);
  const closed = compileWhere(closedStageFilter(stages), { dialect, table: DEAL, schema });
  const cycle = sql`CASE WHEN ${closed} THEN ${daysBetween(dialect, col('stageChangedAt'), col('createdAt'))} END`;
  return [
    dialect === 'postgres' ? keyword('CAST(COUNT(*) AS integer)') : keyword('COUNT(*)'),
    sql`SUM(${col('amount')})`,
    sql`SUM(CASE WHEN ${col('probability')} IS NULL THEN ${col('amount')} END)`,
    sql`SUM(${col('amount')} * ${col('probability')})`,
    sql`SUM(${cycle})`,
    sql`COUNT(${cycle})`,
  ];
}

export function summaryStatement(
  dialect: DialectName,
  schema: SchemaLookup,
  stages: readonly PipelineStage[],
  where: Expr,
): SqlFragment {
  const sums = dealSums(dialect, schema, stages).map((sum, i) => sql`${sum} AS ${ident(SUM_NAMES[i]!)}`);
  const stage = qualified(DEAL, 'stage');
  return sql`SELECT ${stage} AS ${ident('stage')}, ${join(sums)} FROM ${ident(DEAL)} WHERE ${compileWhere(where, { dialect, table: DEAL, schema })} GROUP BY ${stage}`;
}

const num = (value: unknown): number => (value == null ? 0 : Number(value));
/** `+ 0`: a residue like -1e-12 (sums of deltas that cancel) rounds to -0, which must read as 0. */
const round = (value: number, digits: number): number => Number(value.toFixed(digits)) + 0;

/**
 * Folds the grouped rows into the answer: configured stages in order (zeros included), then unknown ones by
 * name with "no stage" last — an order of our own, since GROUP BY's differs between backends.
 */
export function summarize(rows: readonly Row[], stages: readonly PipelineStage[], period: Period): PipelineSummary {
  const byStage = new Map(rows.map((r) => [(r.stage as string | null) ?? null, r]));
  const entry = (stage: PipelineStage | null, name: string | null, row: Row | undefined): StageSummary => {
    const probability = stage?.probability ?? 0;
    return {
      stage: name,
      label: stage?.label ?? name ?? '(no stage)',
      probability,
      won: stage?.won ?? false,
      lost: stage?.lost ?? false,
      configured: stage !== null,
      count: num(row?.n),
      amount: round(num(row?.amount), 6),
      weightedAmount: round(num(row?.ownWeighted) + probability * num(row?.plainAmount), 6),
    };
  };
  const configured = new Set(stages.map((s) => s.name));
  const result = [
    ...stages.map((s) => entry(s, s.name, byStage.get(s.name))),
    ...[...byStage.keys()]
      .filter((name) => name === null || !configured.has(name))
      .sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
      .map((name) => entry(null, name, byStage.get(name))),
  ];
  const open = result.filter((s) => !s.won && !s.lost);
  const closedRows = stages.filter((s) => s.won || s.lost).map((s) => byStage.get(s.name));
  const wonCount = result.filter((s) => s.won).reduce((n, s) => n + s.count, 0);
  const lostCount = result.filter((s) => s.lost).reduce((n, s) => n + s.count, 0);
  const cycles = closedRows.reduce((n, r) => n + num(r?.cycles), 0);
  const cycleDays = closedRows.reduce((n, r) => n + num(r?.cycleDays), 0);
  return {
    ...period,
    stages: result,
    open: {
      count: open.reduce((n, s) => n + s.count, 0),
      amount: round(
        open.reduce((n, s) => n + s.amount, 0),
        6,
      ),
      weightedAmount: round(
        open.reduce((n, s) => n + s.weightedAmount, 0),
        6,
      ),
    },
    wonCount,
    lostCount,
    winRate: wonCount + lostCount ? round(wonCount / (wonCount + lostCount), 6) : null,
    avgCycleDays: cycles ? round(cycleDays / cycles, 3) : null,
  };
}

function dealClass(schema: SchemaLookup): CompiledClass {
  const cls = schema.get(DEAL);
  const broken = !cls || Object.entries(USED_FIELDS).some(([name, type]) => cls.fields.get(name)?.type !== type);
  if (broken) throw new ParseError(ErrorCode.SCRIPT_FAILED, 'pipelineSummary needs the Deal class with its forecast fields.');
  return cls!;
}

export async function pipelineSummary(
  auth: Auth,
  storage: StorageAdapter,
  schema: SchemaLookup,
  stages: readonly PipelineStage[],
  params: Record<string, unknown>,
  /** `rollup: false` scans the deals even when the rollup could answer (tests compare the two). */
  options: { rollup?: boolean } = {},
): Promise<PipelineSummary> {
  const period = parsePeriod(params);
  const cls = dealClass(schema);
  const scope = requireClassAccess(auth, cls, 'find');
  const ctx = readContextFor(auth, storage, schema, 'find');
  // Sums over a field the caller may not see would reveal it.
  const hidden = ctx.hiddenFields(cls).filter((f) => Object.hasOwn(USED_FIELDS, f));
  if (hidden.length) throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, `Permission denied: ${hidden.join(', ')} hidden`);
  const filter = and(ctx.readFilter(cls), scope);
  const rollup = options.rollup === false ? null : rollupStatement(storage.dialect, schema, period, filter);
  const rows = rollup
    ? fromRollupRows(await storage.query(rollup))
    : await storage.query(summaryStatement(storage.dialect, schema, stages, and(periodFilter(stages, period), filter)));
  return summarize(rows, stages, period);
}
