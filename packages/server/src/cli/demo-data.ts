/**
 * The demo sales team's data, planned before anything is written: a pure function of the seed and "now",
 * so a demo is reproducible and its shape can be tested without a database. Every record names its owner
 * (an index into TEAM); seed.ts creates it as that user.
 */
import { Random } from './random.js';
import {
  CALL_TOPICS,
  CITIES,
  COMPANY_STEMS,
  CONTACT_NOTES,
  DEAL_NOTES,
  EMAIL_DOMAIN,
  EMAIL_TOPICS,
  FIRST_NAMES,
  INDUSTRIES,
  JOB_TITLES,
  LAST_NAMES,
  MEETING_KINDS,
  NOTE_TOPICS,
  PRODUCTS,
  STREETS,
  TEAM,
} from './demo-words.js';

export const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type Stage = (typeof STAGES)[number];
export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'note'] as const;

export interface DemoSize {
  companies: number;
  contacts: number;
  deals: number;
}

export const DEMO_SIZE: DemoSize = { companies: 30, contacts: 120, deals: 150 };

export interface PlannedCompany {
  owner: number;
  name: string;
  industry: string;
  website: string;
  address: string;
  notes: string;
}
export interface PlannedContact {
  owner: number;
  company: number;
  name: string;
  email: string;
  phone: string;
  notes: string;
}
export interface PlannedDeal {
  owner: number;
  company: number;
  contact: number | null;
  title: string;
  amount: number;
  stage: Stage;
  expectedCloseDate: string;
  notes: string;
}
export interface PlannedActivity {
  owner: number;
  related: { kind: 'deal' | 'contact'; index: number };
  type: (typeof ACTIVITY_TYPES)[number];
  subject: string;
  description: string;
  dueDate?: string;
  completedAt?: string;
}

export interface DemoPlan {
  companies: PlannedCompany[];
  contacts: PlannedContact[];
  deals: PlannedDeal[];
  activities: PlannedActivity[];
}

const DAY = 24 * 3600 * 1000;
/** Indexes into TEAM of the reps, who own the pipeline; the manager adds coaching notes. */
export const REPS = TEAM.flatMap((member, index) => (member.role === null ? [index] : []));
export const MANAGER = TEAM.findIndex((member) => member.role === 'managers');

const STAGE_WEIGHTS: Record<Stage, number> = { lead: 22, qualified: 20, proposal: 16, negotiation: 12, won: 18, lost: 12 };

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');
const at = (now: Date, days: number, hour: number) => {
  const day = new Date(now.getTime() + days * DAY);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};

function planCompanies(rng: Random, count: number): PlannedCompany[] {
  const industries = Object.keys(INDUSTRIES);
  return rng
    .shuffle(COMPANY_STEMS)
    .slice(0, count)
    .map((stem, i) => {
      const industry = rng.pick(industries);
      const name = `${stem} ${rng.pick(INDUSTRIES[industry])}`;
      const [city, state, zip] = rng.pick(CITIES);
      return {
        owner: REPS[i % REPS.length],
        name,
        industry,
        website: `https://www.${slug(name)}.com`,
        address: `${rng.int(10, 9800)} ${rng.pick(STREETS)}, ${city}, ${state} ${zip}${String(rng.int(10, 99))}`,
        notes: `${rng.int(20, 5000)} employees.`,
      };
    });
}

function planContacts(rng: Random, companies: PlannedCompany[], count: number): PlannedContact[] {
  const used = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    // Every company gets one contact before any gets a second.
    const company = i < companies.length ? i : rng.int(0, companies.length - 1);
    let first: string;
    let last: string;
    do {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    } while (used.has(`${first} ${last}`));
    used.add(`${first} ${last}`);
    const domain = new URL(companies[company].website).hostname.replace(/^www\./, '');
    return {
      owner: companies[company].owner,
      company,
      name: `${first} ${last}`,
      email: `${first}.${last}@${domain}`.toLowerCase(),
      phone: `+1 (555) ${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}`,
      notes: `${rng.pick(JOB_TITLES)}. ${rng.pick(CONTACT_NOTES)}`,
    };
  });
}

/** Closed deals closed in the last three months; open ones close within the next three (a few are late). */
function closeDate(rng: Random, stage: Stage, now: Date): string {
  if (stage === 'won' || stage === 'lost') return at(now, -rng.int(1, 90), 12);
  return at(now, rng.chance(0.1) ? -rng.int(1, 14) : rng.int(1, 90), 12);
}

function planDeals(
  rng: Random,
  companies: PlannedCompany[],
  contacts: PlannedContact[],
  count: number,
  now: Date,
): PlannedDeal[] {
  return Array.from({ length: count }, (_, i) => {
    const stage: Stage = i < STAGES.length ? STAGES[i] : rng.weighted(STAGE_WEIGHTS);
    const company = rng.int(0, companies.length - 1);
    const people = contacts.flatMap((c, index) => (c.company === company ? [index] : []));
    const product = rng.pick(PRODUCTS);
    const seats = rng.pick([10, 25, 50, 100, 250]);
    return {
      owner: companies[company].owner,
      company,
      contact: people.length ? rng.pick(people) : null,
      title: `${companies[company].name} — ${product} (${seats} seats)`,
      amount: Math.round((seats * rng.int(80, 600)) / 500) * 500 + 500,
      stage,
      expectedCloseDate: closeDate(rng, stage, now),
      notes: rng.pick(DEAL_NOTES[stage]),
    };
  });
}

/** Done in the past, overdue, due today or upcoming — the mix a real activity list has. */
function schedule(rng: Random, now: Date): Pick<PlannedActivity, 'dueDate' | 'completedAt'> {
  const kind = rng.weighted({ done: 45, overdue: 15, today: 10, upcoming: 30 });
  if (kind === 'done') {
    const days = -rng.int(1, 60);
    return { dueDate: at(now, days, rng.int(9, 17)), completedAt: at(now, Math.min(days + rng.int(0, 2), -1), rng.int(9, 17)) };
  }
  if (kind === 'overdue') return { dueDate: at(now, -rng.int(1, 20), rng.int(9, 17)) };
  if (kind === 'today') return { dueDate: at(now, 0, rng.int(9, 17)) };
  return { dueDate: at(now, rng.int(1, 30), rng.int(9, 17)) };
}

function describe(
  rng: Random,
  type: PlannedActivity['type'],
  person: string,
  company: string,
): Pick<PlannedActivity, 'subject' | 'description'> {
  switch (type) {
    case 'call':
      return { subject: `Call ${person}: ${rng.pick(CALL_TOPICS)}`, description: `Phone call with ${person} (${company}).` };
    case 'email':
      return { subject: `Email ${person} the ${rng.pick(EMAIL_TOPICS)}`, description: `Send to ${person} at ${company}.` };
    case 'meeting':
      return { subject: `${rng.pick(MEETING_KINDS)} with ${company}`, description: `Attendees: ${person} and the account team.` };
    default:
      return { subject: rng.pick(NOTE_TOPICS), description: `Note about ${company} (${person}).` };
  }
}

function planActivities(rng: Random, plan: Omit<DemoPlan, 'activities'>, now: Date): PlannedActivity[] {
  const activities: PlannedActivity[] = [];
  const add = (owner: number, related: PlannedActivity['related'], person: string, company: string) => {
    const type = rng.pick(ACTIVITY_TYPES);
    // A note records something that happened; it is not scheduled.
    const when = type === 'note' ? { completedAt: at(now, -rng.int(0, 45), rng.int(9, 17)) } : schedule(rng, now);
    activities.push({ owner, related, type, ...describe(rng, type, person, company), ...when });
  };
  plan.deals.forEach((deal, index) => {
    const person = deal.contact === null ? 'the buyer' : plan.contacts[deal.contact].name;
    const company = plan.companies[deal.company].name;
    for (let n = rng.int(1, 4); n > 0; n--) add(deal.owner, { kind: 'deal', index }, person, company);
    if (rng.chance(0.07)) add(MANAGER, { kind: 'deal', index }, person, company);
  });
  plan.contacts.forEach((contact, index) => {
    if (rng.chance(0.3)) add(contact.owner, { kind: 'contact', index }, contact.name, plan.companies[contact.company].name);
  });
  return activities;
}

export function demoPlan(seed: number, now: Date, size: DemoSize = DEMO_SIZE): DemoPlan {
  const rng = new Random(seed);
  const companies = planCompanies(rng, Math.min(size.companies, COMPANY_STEMS.length));
  const contacts = planContacts(rng, companies, size.contacts);
  const deals = planDeals(rng, companies, contacts, size.deals, now);
  return { companies, contacts, deals, activities: planActivities(rng, { companies, contacts, deals }, now) };
}

/** The team's shared demo password: derived from the seed, so a reseeded demo keeps its logins. */
export function demoPassword(seed: number): string {
  const rng = new Random(seed ^ 0x5eed);
  return `demo-${rng.pick(['harbor', 'summit', 'maple', 'cobalt', 'juniper', 'beacon'])}-${rng.int(1000, 9999)}`;
}

export const demoEmail = (username: string) => `${username}@${EMAIL_DOMAIN}`;
