/**
 * The benchmark data set, described by index rather than by objectId: targets assign their own ids at
 * insert time, so seeding maps these indexes to ids afterwards. Generation depends only on the sizes
 * and the PRNG seed, which is what makes both targets hold the same rows.
 */
import { createPrng } from './prng.js';

export const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'note'] as const;
const INDUSTRIES = ['software', 'retail', 'manufacturing', 'finance', 'health', 'logistics', 'energy'];
const WORDS = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Orbit', 'Nova', 'Summit', 'Harbor', 'Pioneer', 'Vertex'];
const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dmitri', 'Eva', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST_NAMES = ['Garcia', 'Smith', 'Novak', 'Okafor', 'Tanaka', 'Muller', 'Rossi', 'Silva', 'Kim', 'Dubois'];
const YEAR_START = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface DataSizes {
  users: number;
  companies: number;
  contacts: number;
  deals: number;
  activities: number;
}

/** Ratios of the reference data set (2k companies, 10k contacts, 50k deals, 100k activities). */
export function sizesFor(deals: number): DataSizes {
  return {
    users: 20,
    companies: Math.max(1, Math.round(deals / 25)),
    contacts: Math.max(1, Math.round(deals / 5)),
    deals,
    activities: deals * 2,
  };
}

export interface UserSpec {
  username: string;
  email: string;
  password: string;
}
export interface CompanySpec {
  name: string;
  website: string;
  industry: string;
  address: string;
}
export interface ContactSpec {
  name: string;
  email: string;
  phone: string;
  company: number;
}
export interface DealSpec {
  title: string;
  amount: number;
  stage: (typeof STAGES)[number];
  expectedCloseDate: string;
  contact: number;
  company: number;
  owner: number;
}
export interface ActivitySpec {
  type: (typeof ACTIVITY_TYPES)[number];
  subject: string;
  dueDate: string;
  deal: number;
}

export interface Dataset {
  sizes: DataSizes;
  /** Signed up before the reps: our server's CRM policy makes the first user an admin (who sees everything). */
  admin: UserSpec;
  users: UserSpec[];
  companies: CompanySpec[];
  contacts: ContactSpec[];
  deals: DealSpec[];
  activities: ActivitySpec[];
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function generateDataset(sizes: DataSizes, seed: number): Dataset {
  const rng = createPrng(seed);
  const dateInYear = (): string => new Date(YEAR_START + rng.int(YEAR_MS)).toISOString();

  const users = Array.from({ length: sizes.users }, (_, i) => ({
    username: `rep${pad(i + 1, 2)}`,
    email: `rep${pad(i + 1, 2)}@bench.example`,
    password: `bench-pass-${pad(i + 1, 2)}`,
  }));
  const companies = Array.from({ length: sizes.companies }, (_, i) => {
    const name = `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${pad(i, 5)}`;
    return {
      name,
      website: `https://c${i}.bench.example`,
      industry: rng.pick(INDUSTRIES),
      address: `${1 + rng.int(999)} Main Street`,
    };
  });
  const contacts = Array.from({ length: sizes.contacts }, (_, i) => ({
    name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
    email: `contact${i}@bench.example`,
    phone: `+1555${pad(rng.int(10_000_000), 7)}`,
    company: rng.int(sizes.companies),
  }));
  // Round-robin owners give every rep the same share, so a single rep's view is representative.
  const deals = Array.from({ length: sizes.deals }, (_, i) => {
    const contact = rng.int(sizes.contacts);
    return {
      title: `${rng.pick(WORDS)} deal ${pad(i, 6)}`,
      amount: 500 + rng.int(200_000),
      stage: rng.pick(STAGES),
      expectedCloseDate: dateInYear(),
      contact,
      company: (contacts[contact] as ContactSpec).company,
      owner: i % sizes.users,
    };
  });
  const activities = Array.from({ length: sizes.activities }, (_, i) => ({
    type: rng.pick(ACTIVITY_TYPES),
    subject: `Follow-up ${pad(i, 6)}`,
    dueDate: dateInYear(),
    deal: rng.int(sizes.deals),
  }));
  const admin = { username: 'bench-admin', email: 'admin@bench.example', password: 'bench-pass-admin' };
  return { sizes, admin, users, companies, contacts, deals, activities };
}
