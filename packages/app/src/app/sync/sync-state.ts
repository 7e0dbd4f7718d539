export type SyncState = 'online' | 'offline' | 'syncing';
export type SaveOutcome = 'saved' | 'queued';
