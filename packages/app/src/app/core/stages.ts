import { Stage } from './models';

export interface StageInfo {
  label: string;
  /** Accent for column borders, dots and bars (non-text: 3:1 against white is enough). */
  color: string;
  /** The same hue dark enough for text, or behind white text (4.5:1). */
  ink: string;
  open: boolean;
}

export const STAGE_INFO: Record<Stage, StageInfo> = {
  lead: { label: 'Lead', color: '#64748b', ink: '#475569', open: true },
  qualified: { label: 'Qualified', color: '#2563eb', ink: '#1d4ed8', open: true },
  proposal: { label: 'Proposal', color: '#7c3aed', ink: '#6d28d9', open: true },
  negotiation: { label: 'Negotiation', color: '#d97706', ink: '#a14a05', open: true },
  won: { label: 'Won', color: '#16a34a', ink: '#15803d', open: false },
  lost: { label: 'Lost', color: '#dc2626', ink: '#b91c1c', open: false },
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && Object.hasOwn(STAGE_INFO, value);
}
