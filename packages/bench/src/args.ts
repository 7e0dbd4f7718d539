/** Command-line flags of `npm run bench -- ...`. */
import { TARGET_NAMES, type TargetName } from './targets/types.js';

export interface Args {
  targets: TargetName[];
  quick: boolean;
  deals: number;
  durationS: number;
  warmupS: number;
  connections: number;
  seed: number;
  /** Append a section to docs/PERFORMANCE.md (default: yes, except for --quick smoke runs). */
  doc: boolean;
  /** Give parse-server's PostgreSQL the secondary indexes a DBA would add for these screens. */
  pgIndexes: boolean;
  /** Seconds to wait, before each scenario, for other work on a shared machine to stop (0 = never). */
  waitQuietS: number;
}

export const USAGE = `usage: npm run bench -- [--target ours|parse-server|both] [--quick] [--duration S]
                          [--deals N] [--warmup S] [--connections N] [--seed N] [--doc|--no-doc]
                          [--pg-indexes] [--wait-quiet S]
  --target       which server(s) to benchmark (default both)
  --quick        smoke test: 2,000 deals, 1 s warm-up, 2 s per scenario, no PERFORMANCE.md entry
  --duration S   timed seconds per scenario (default 10)
  --deals N      deals to seed; companies, contacts and activities scale with it (default 50000)
  --warmup S     untimed warm-up seconds per scenario (default 2)
  --connections  concurrent connections (default 32)
  --seed N       PRNG seed for the data set (default 42)
  --doc/--no-doc force or skip the docs/PERFORMANCE.md entry
  --pg-indexes   add indexes Deal(stage, expectedCloseDate) and Activity(relatedTo, dueDate) to
                 parse-server's database after seeding (it creates none itself)
  --wait-quiet S on a shared machine, wait up to S seconds before each scenario until other
                 processes leave the CPU idle, and re-measure (up to 3 runs) a scenario they
                 disturbed anyway (default 0: do neither)`;

export function parseArgs(argv: string[]): Args {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new UsageError('');
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (['quick', 'doc', 'no-doc', 'pg-indexes'].includes(key)) {
      flags.add(key);
    } else if (['target', 'duration', 'deals', 'warmup', 'connections', 'seed', 'wait-quiet'].includes(key)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${key} needs a value`);
      values.set(key, value);
    } else {
      throw new UsageError(`unknown option --${key}`);
    }
  }
  const positive = (key: string, fallback: number, min = 1): number => {
    const raw = values.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${key} must be an integer >= ${min}, got "${raw}"`);
    return n;
  };
  const target = values.get('target') ?? 'both';
  if (target !== 'both' && !TARGET_NAMES.includes(target as TargetName)) throw new UsageError(`unknown --target "${target}"`);
  const quick = flags.has('quick');
  return {
    targets: target === 'both' ? [...TARGET_NAMES] : [target as TargetName],
    quick,
    deals: positive('deals', quick ? 2_000 : 50_000, 500),
    durationS: positive('duration', quick ? 2 : 10),
    warmupS: positive('warmup', quick ? 1 : 2, 0),
    connections: positive('connections', 32),
    seed: positive('seed', 42, 0),
    doc: flags.has('doc') || (!quick && !flags.has('no-doc')),
    pgIndexes: flags.has('pg-indexes'),
    waitQuietS: positive('wait-quiet', 0, 0),
  };
}

export class UsageError extends Error {}
