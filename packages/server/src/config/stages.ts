/**
 * The sales pipeline's stages as configuration: order (array order), win probability, won/lost flags, whether
 * the board folds the column by default, and after how many idle days a deal counts as stale. The defaults
 * are the seed's Deal.stage values; a CRM_CONFIG file may replace them with its own `stages` array, checked
 * here at start so a typo stops the server with a clear message instead of skewing every forecast.
 */

export interface PipelineStage {
  /** The value stored in Deal.stage. */
  name: string;
  label: string;
  /** Position on the board, 0-based (the array order). */
  order: number;
  /** Chance a deal in this stage closes won, 0–1; a deal's own `probability` overrides it. */
  probability: number;
  won: boolean;
  lost: boolean;
  /** The board shows this column collapsed until opened. */
  folded: boolean;
  /** Days in this stage after which a deal is stale; null = never (closed stages). */
  staleAfterDays: number | null;
}

/** The global idle limit for stages that name none. */
export const DEFAULT_STALE_AFTER_DAYS = 30;
const MAX_STAGES = 50;
const NAME_PATTERN = /^[A-Za-z0-9][\w .-]{0,63}$/;

const DEFAULT_STAGE_INPUT: readonly Record<string, unknown>[] = [
  { name: 'lead', label: 'Lead', probability: 0.1 },
  { name: 'qualified', label: 'Qualified', probability: 0.25 },
  { name: 'proposal', label: 'Proposal', probability: 0.5 },
  { name: 'negotiation', label: 'Negotiation', probability: 0.75 },
  { name: 'won', label: 'Won', probability: 1, won: true, folded: true },
  { name: 'lost', label: 'Lost', probability: 0, lost: true, folded: true },
];

const KNOWN_KEYS = new Set(['name', 'label', 'probability', 'won', 'lost', 'folded', 'staleAfterDays']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalBoolean(entry: Record<string, unknown>, key: string, where: string): boolean {
  const value = entry[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new Error(`${where}.${key} must be true or false`);
  return value;
}

function days(value: unknown, where: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${where} must be a positive number of days or null`);
  }
  return value;
}

function stageFrom(entry: unknown, index: number, staleDefault: number | null): PipelineStage {
  const where = `stages[${index}]`;
  if (!isPlainObject(entry)) throw new Error(`${where} must be an object`);
  for (const key of Object.keys(entry)) if (!KNOWN_KEYS.has(key)) throw new Error(`${where} has an unknown key "${key}"`);
  const { name, label, probability } = entry;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new Error(`${where}.name must be 1–64 letters, digits, spaces, _ . - (starting with a letter or digit)`);
  }
  if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
    throw new Error(`${where}.probability must be a number from 0 to 1`);
  }
  if (label !== undefined && (typeof label !== 'string' || label.length === 0 || label.length > 64)) {
    throw new Error(`${where}.label must be a string of 1–64 characters`);
  }
  const won = optionalBoolean(entry, 'won', where);
  const lost = optionalBoolean(entry, 'lost', where);
  if (won && lost) throw new Error(`${where} cannot be both won and lost`);
  const closed = won || lost;
  return {
    name,
    label: typeof label === 'string' ? label : name.charAt(0).toUpperCase() + name.slice(1),
    order: index,
    probability,
    won,
    lost,
    folded: optionalBoolean(entry, 'folded', where),
    // A closed deal is finished, not idle: closed stages are never stale unless the file says otherwise.
    staleAfterDays:
      entry.staleAfterDays !== undefined ? days(entry.staleAfterDays, `${where}.staleAfterDays`) : closed ? null : staleDefault,
  };
}

/**
 * Resolves the configured stages (or the defaults) into complete entries. Throws an Error naming the first
 * problem; the config loader reports it as a ConfigError.
 */
export function resolveStages(raw: unknown, staleAfterDays: unknown = DEFAULT_STALE_AFTER_DAYS): PipelineStage[] {
  const staleDefault = days(staleAfterDays, 'staleAfterDays');
  const input = raw === undefined ? DEFAULT_STAGE_INPUT : raw;
  if (!Array.isArray(input) || input.length === 0) throw new Error('stages must be a non-empty array');
  if (input.length > MAX_STAGES) throw new Error(`stages may hold at most ${MAX_STAGES} entries`);
  const stages = input.map((entry, i) => stageFrom(entry, i, staleDefault));
  const seen = new Set<string>();
  for (const stage of stages) {
    if (seen.has(stage.name)) throw new Error(`stages: "${stage.name}" appears twice`);
    seen.add(stage.name);
  }
  return stages;
}

export const DEFAULT_STAGES: readonly PipelineStage[] = resolveStages(undefined);
