import { Deal } from '../app/core/models';

export function deal(id: string, patch: Partial<Deal> = {}): Deal {
  return {
    id,
    title: `Deal ${id}`,
    amount: 1000,
    stage: 'lead',
    company: null,
    contact: null,
    owner: { id: 'u1', name: 'ana' },
    expectedCloseDate: null,
    notes: '',
    probability: null,
    position: null,
    stageChangedAt: null,
    lostReason: '',
    createdAt: null,
    updatedAt: null,
    pending: false,
    ...patch,
  };
}
