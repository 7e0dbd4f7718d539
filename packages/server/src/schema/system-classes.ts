/**
 * Parse's system classes as this server defines them. Secrets (password hashes, session token hashes,
 * one-time tokens) live in internal columns that are not fields: no query, key list or include can reach them.
 */
import type { ClassSchema } from './types.js';

const PUBLIC_CLP = {
  find: { '*': true },
  count: { '*': true },
  get: { '*': true },
  create: { '*': true },
  update: { '*': true },
  delete: { '*': true },
  addField: { '*': true },
  protectedFields: { '*': [] as string[] },
};

export const publicClp = (): ClassSchema['classLevelPermissions'] => structuredClone(PUBLIC_CLP);

export const SYSTEM_CLASS_SCHEMAS: readonly ClassSchema[] = [
  {
    className: '_User',
    fields: {
      username: { type: 'String' },
      email: { type: 'String' },
      emailVerified: { type: 'Boolean' },
      authData: { type: 'Object' },
    },
    classLevelPermissions: publicClp(),
    indexes: {},
  },
  {
    className: '_Session',
    fields: {
      user: { type: 'Pointer', targetClass: '_User' },
      installationId: { type: 'String' },
      expiresAt: { type: 'Date' },
      createdWith: { type: 'Object' },
      restricted: { type: 'Boolean' },
    },
    // Everyone sees and ends only their own sessions; creating or editing one takes the master key.
    classLevelPermissions: {
      find: { pointerFields: ['user'] } as unknown as Record<string, boolean>,
      count: { pointerFields: ['user'] } as unknown as Record<string, boolean>,
      get: { pointerFields: ['user'] } as unknown as Record<string, boolean>,
      create: {},
      update: {},
      delete: { pointerFields: ['user'] } as unknown as Record<string, boolean>,
      addField: {},
      protectedFields: { '*': [] },
    },
    indexes: { user: { user: 1 } },
  },
  {
    className: '_Role',
    fields: {
      name: { type: 'String' },
      users: { type: 'Relation', targetClass: '_User' },
      roles: { type: 'Relation', targetClass: '_Role' },
    },
    classLevelPermissions: publicClp(),
    indexes: {},
  },
];

const INTERNAL_COLUMNS: Record<string, readonly string[]> = {
  _User: [
    '_hashed_password',
    '_username_lower',
    '_email_lower',
    '_email_verify_token',
    '_perishable_token',
    '_perishable_token_expires_at',
    '_failed_login_count',
    '_account_lockout_expires_at',
  ],
  _Session: ['_session_token_hash'],
};

export const internalColumns = (className: string): readonly string[] => INTERNAL_COLUMNS[className] ?? [];

export const isSystemClass = (className: string): boolean => className.startsWith('_');
