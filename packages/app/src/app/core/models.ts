/** View models: plain, immutable snapshots of Parse objects, safe to keep in signals and compare by reference. */

export interface Ref {
  id: string;
  name: string;
}

export const STAGES = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type Stage = (typeof STAGES)[number];

export interface Deal {
  id: string;
  title: string;
  amount: number | null;
  stage: Stage;
  company: Ref | null;
  contact: Ref | null;
  owner: Ref | null;
  expectedCloseDate: Date | null;
  notes: string;
  /** The deal's own win probability (0–1), overriding its stage's. */
  probability: number | null;
  /** Manual order within its board column (ascending). */
  position: number | null;
  /** When the deal entered its current stage (kept by the server). */
  stageChangedAt: Date | null;
  lostReason: string;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** Saved locally but not yet on the server (offline). */
  pending: boolean;
}

export interface Company {
  id: string;
  name: string;
  website: string;
  industry: string;
  address: string;
  notes: string;
  updatedAt: Date | null;
  pending: boolean;
}

export interface Contact {
  id: string;
  name: string;
  email: string;
  phone: string;
  company: Ref | null;
  notes: string;
  updatedAt: Date | null;
  pending: boolean;
  /** Flagged by the server: another contact the user can see has the same email. */
  duplicateOf?: Ref | null;
}

export const ACTIVITY_TYPES = ['call', 'email', 'meeting', 'note'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export type RelatedClass = 'Deal' | 'Contact';

export interface RelatedRef extends Ref {
  className: RelatedClass;
}

export interface Activity {
  id: string;
  type: ActivityType;
  subject: string;
  description: string;
  dueDate: Date | null;
  completedAt: Date | null;
  related: RelatedRef | null;
  createdBy: Ref | null;
  createdAt: Date | null;
  pending: boolean;
}

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

/** Where the data on screen came from: the server, or the device's offline copy. */
export type DataSource = 'server' | 'device';
