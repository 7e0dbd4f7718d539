import { Stage } from './models';

export interface StageInfo {
  label: string;
  /** Accent used for the column header and chips; all pass 3:1 against white as non-text indicators. */
  color: string;
  open: boolean;
}

export const STAGE_INFO: Record<Stage, StageInfo> = {
  lead: { label: 'Lead', color: '#64748b', open: true },
  qualified: { label: 'Qualified', color: '#2563eb', open: true },
  proposal: { label: 'Proposal', color: '#7c3aed', open: true },
  negotiation: { label: 'Negotiation', color: '#d97706', open: true },
  won: { label: 'Won', color: '#16a34a', open: false },
  lost: { label: 'Lost', color: '#dc2626', open: false },
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && Object.hasOwn(STAGE_INFO, value);
}
