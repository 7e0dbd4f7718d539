/**
 * `crm seed --demo`: a realistic sales team and pipeline. Users are created with the master key (like
 * `crm user add`); everything else is created AS the user who owns it, through the object service, so the
 * CRM policy sets createdBy, deal owners and ACLs exactly as it does for their own requests.
 */
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import type { Services } from '../service/services.js';
import { MASTER, type Auth } from '../security/auth.js';
import { addUser, authAs } from './accounts.js';
import { demoEmail, demoPassword, demoPlan, type DemoPlan } from './demo-data.js';
import { TEAM } from './demo-words.js';
import { formatTable } from './table.js';
import { CliError } from './errors.js';
import type { Progress, Terminal } from './io.js';

const CRM_CLASSES = ['_User', 'Company', 'Contact', 'Deal', 'Activity'];
/** Creates per transaction: fewer commits, same hooks and checks. */
const BATCH = 100;

export interface SeedOptions {
  demo?: boolean;
  seed: number;
  force?: boolean;
  now?: Date;
  password?: string;
}

export interface SeedResult {
  password: string;
  users: Array<{ username: string; role: string; title: string; created: boolean }>;
  counts: Record<string, number>;
}

const pointer = (className: string, objectId: string) => ({ __type: 'Pointer', className, objectId });
const date = (iso: string) => ({ __type: 'Date', iso });

async function isEmpty(services: Services): Promise<boolean> {
  for (const className of CRM_CLASSES) {
    const { count } = await services.objects.find(MASTER, className, { count: 1, limit: 0 });
    if (count) return false;
  }
  return true;
}

/** The team: existing demo users (a forced re-seed) are reused as they are. */
async function ensureTeam(services: Services, password: string): Promise<{ auths: Auth[]; users: SeedResult['users'] }> {
  const auths: Auth[] = [];
  const users: SeedResult['users'] = [];
  for (const member of TEAM) {
    const { results } = await services.objects.find(MASTER, '_User', { where: { username: member.username }, limit: 1 });
    const created = results.length === 0;
    if (created) {
      const role = member.role ?? undefined;
      await addUser(services, { username: member.username, email: demoEmail(member.username), password, role });
    }
    auths.push(await authAs(services, member.username));
    users.push({ username: member.username, role: member.role ?? 'rep', title: member.title, created });
  }
  return { auths, users };
}

/** Creates `bodies` in order, each as its owner, a batch per transaction; returns the new objectIds. */
async function createAll(
  services: Services,
  className: string,
  items: Array<{ auth: Auth; body: Record<string, unknown> }>,
  bar: Progress,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    const afterCommit: Array<() => void> = [];
    const batch = items.slice(i, i + BATCH);
    await services.storage.transaction(async (tx) => {
      for (const { auth, body } of batch)
        ids.push((await services.objects.create(auth, className, body, { tx, afterCommit })).objectId);
    });
    for (const work of afterCommit) work();
    bar.increment(batch.length);
  }
  return ids;
}

async function writePlan(services: Services, plan: DemoPlan, auths: Auth[], bar: Progress): Promise<void> {
  const companyIds = await createAll(
    services,
    'Company',
    plan.companies.map(({ owner, ...fields }) => ({ auth: auths[owner], body: fields })),
    bar,
  );
  const contactIds = await createAll(
    services,
    'Contact',
    plan.contacts.map(({ owner, company, ...fields }) => ({
      auth: auths[owner],
      body: { ...fields, company: pointer('Company', companyIds[company]) },
    })),
    bar,
  );
  const dealIds = await createAll(
    services,
    'Deal',
    plan.deals.map(({ owner, company, contact, expectedCloseDate, ...fields }) => ({
      auth: auths[owner],
      body: {
        ...fields,
        expectedCloseDate: date(expectedCloseDate),
        company: pointer('Company', companyIds[company]),
        ...(contact === null ? {} : { contact: pointer('Contact', contactIds[contact]) }),
      },
    })),
    bar,
  );
  await createAll(
    services,
    'Activity',
    plan.activities.map(({ owner, related, dueDate, completedAt, ...fields }) => ({
      auth: auths[owner],
      body: {
        ...fields,
        relatedTo:
          related.kind === 'deal' ? pointer('Deal', dealIds[related.index]) : pointer('Contact', contactIds[related.index]),
        ...(dueDate ? { dueDate: date(dueDate) } : {}),
        ...(completedAt ? { completedAt: date(completedAt) } : {}),
      },
    })),
    bar,
  );
}

export async function seedDemo(services: Services, options: SeedOptions, term: Terminal): Promise<SeedResult> {
  if (!(await isEmpty(services)) && !options.force) {
    throw new CliError(
      'the database already holds users or CRM data; seed only an empty one (or add --force to add another demo batch)',
    );
  }
  const password = options.password ?? demoPassword(options.seed);
  const plan = demoPlan(options.seed, options.now ?? new Date());
  const { auths, users } = await ensureTeam(services, password);
  const total = plan.companies.length + plan.contacts.length + plan.deals.length + plan.activities.length;
  const bar = term.progress('demo data', total);
  try {
    await writePlan(services, plan, auths, bar);
  } finally {
    bar.stop();
  }
  return {
    password,
    users,
    counts: {
      Company: plan.companies.length,
      Contact: plan.contacts.length,
      Deal: plan.deals.length,
      Activity: plan.activities.length,
    },
  };
}

const integer = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new CliError(`${name} must be a whole number, got "${value}"`);
  return Number(value);
};

const isoDate = (value: string) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new CliError(`--now must be a date, got "${value}"`);
  return new Date(time);
};

export function registerSeedCommand(program: Command, ctx: CliContext): void {
  program
    .command('seed')
    .description('fill an empty database with demo data')
    .option('--demo', 'a sales team (admin, manager, 4 reps) with companies, contacts, deals and activities')
    .option('--seed <n>', 'random seed: the same seed gives the same data', integer('--seed'), 42)
    .option('--now <date>', 'date the pipeline is built around (default: today)', isoDate)
    .option('--password <password>', "the team's password (default: derived from the seed)")
    .option('--force', 'seed even though the database is not empty (existing demo users are reused)')
    .action(async (options: SeedOptions, command: Command) => {
      if (!options.demo) throw new CliError('say what to seed: crm seed --demo');
      const result = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, (services) =>
        seedDemo(services, options, ctx.term),
      );
      const { c } = ctx.term;
      const counts = Object.entries(result.counts)
        .map(([cls, n]) => `${n} ${cls}`)
        .join(', ');
      ctx.term.ok(`seeded ${counts}`);
      const rows = result.users.map((u) => [
        u.username,
        u.role,
        u.title,
        u.created ? result.password : '(existing user, password unchanged)',
      ]);
      for (const line of formatTable(['USERNAME', 'ROLE', 'TITLE', 'PASSWORD'], rows)) ctx.term.print(line);
      ctx.term.print(
        c.dim(
          `log in with any of these users, e.g. ${c.bold(result.users[2]?.username ?? 'admin')} / ${c.bold(result.password)}`,
        ),
      );
    });
}
