/** Command-line flags of `npm run bench:livequery -- ...`. */
export const LQ_TARGETS = ['ours', 'ours-redis', 'parse-server'] as const;
export type LqTargetName = (typeof LQ_TARGETS)[number];

export interface LqArgs {
  targets: LqTargetName[];
  quick: boolean;
  clients: number;
  /** Write rates to measure, one after the other on the same servers and clients. */
  rates: number[];
  durationS: number;
  warmupS: number;
  /** Processes the WebSocket clients are spread over (the runner itself only writes and measures). */
  clientProcs: number;
  deals: number;
  /** Seconds to wait before each target for other work on a shared machine to stop (0 = never). */
  waitQuietS: number;
  /** Run our server(s) under `node --cpu-prof` and summarise where the time went. */
  cpuProf: boolean;
  doc: boolean;
  build: boolean;
}

export const LQ_USAGE = `usage: npm run bench:livequery -- [--target ours|ours-redis|parse-server|all] [--quick]
         [--clients N] [--writes-per-second N] [--duration S] [--warmup S] [--client-procs N]
         [--deals N] [--wait-quiet S] [--cpu-prof] [--doc|--no-doc] [--no-build]
  --target             which server(s) (default all: ours, ours-redis, parse-server)
                         ours         one instance of ours (embedded SQLite, in-process change feed)
                         ours-redis   two instances of ours on one PostgreSQL schema, events through Redis;
                                      clients split over both, writes through the first
                         parse-server parse-server 9 with its LiveQuery server on the same port (PostgreSQL)
  --quick              smoke test: 100 clients, 1 s warm-up, 5 s timed, no PERFORMANCE.md entry
  --clients N          subscribed WebSocket clients, spread evenly over the five stages (default 1000)
  --writes-per-second  stage changes per second, open loop (default 200); a list such as 25,50,100,200
                       measures each rate in turn on the same servers and subscribers
  --duration S         timed seconds of writes (default 20)
  --warmup S           untimed seconds of the same writes before the timed ones (default 3)
  --client-procs N     processes holding the clients (default 2)
  --deals N            deals the writes move around (default 1000)
  --wait-quiet S       before each target, wait up to S s for the machine to be idle (default 0)
  --cpu-prof           run our server with node --cpu-prof and print the hottest functions
  --doc/--no-doc       force or skip the docs/PERFORMANCE.md entry (default: entry unless --quick)
  --no-build           skip \`npm run build -w @crm/server\` (dist/ must be current)`;

export class LqUsageError extends Error {}

export function parseLqArgs(argv: string[]): LqArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const valued = ['target', 'clients', 'writes-per-second', 'duration', 'warmup', 'client-procs', 'deals', 'wait-quiet'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') throw new LqUsageError('');
    if (!arg.startsWith('--')) throw new LqUsageError(`unexpected argument "${arg}"`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (['quick', 'cpu-prof', 'doc', 'no-doc', 'no-build'].includes(key)) {
      flags.add(key);
    } else if (valued.includes(key)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new LqUsageError(`--${key} needs a value`);
      values.set(key, value);
    } else {
      throw new LqUsageError(`unknown option --${key}`);
    }
  }
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = values.get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new LqUsageError(`--${key} must be an integer in ${min}..${max}, got "${raw}"`);
    return n;
  };
  const target = values.get('target') ?? 'all';
  if (target !== 'all' && !LQ_TARGETS.includes(target as LqTargetName)) throw new LqUsageError(`unknown --target "${target}"`);
  const quick = flags.has('quick');
  const clients = int('clients', quick ? 100 : 1000, 5, 20_000);
  return {
    targets: target === 'all' ? [...LQ_TARGETS] : [target as LqTargetName],
    quick,
    clients,
    rates: (values.get('writes-per-second') ?? '200').split(',').map((raw) => {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > 5_000)
        throw new LqUsageError(`--writes-per-second takes integers in 1..5000, got "${raw}"`);
      return n;
    }),
    durationS: int('duration', quick ? 5 : 20, 1, 120),
    warmupS: int('warmup', quick ? 1 : 3, 0, 60),
    clientProcs: int('client-procs', 2, 1, 8),
    deals: int('deals', 1000, 20, 100_000),
    waitQuietS: int('wait-quiet', 0, 0, 600),
    cpuProf: flags.has('cpu-prof'),
    doc: flags.has('doc') || (!quick && !flags.has('no-doc') && !flags.has('cpu-prof')),
    build: !flags.has('no-build'),
  };
}
