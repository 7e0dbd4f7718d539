/**
 * Deal stage history, kept by the server: the initial stage on create and every later change become a
 * DealStageHistory row written inside the deal's own transaction (both commit or neither does), and
 * Deal.stageChangedAt always holds the time the deal entered its current stage. History rows carry a
 * read-only copy of their deal's ACL and follow it when it changes (reassignment moves them with the deal),
 * so whoever can read a deal reads its history and nobody else does. Clients cannot write history rows:
 * the class-level permissions leave create/update/delete to the master key (crm-schema.ts, crm/policy.ts).
 */
import { memoizedByAclText, parseAcl, type AclJson, type StoredAcl } from '../codec/acl.js';
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Expr } from '../query/ast.js';
import type { CompiledClass, SchemaLookup } from '../schema/compiled.js';
import type { Row, StorageTx } from '../storage/adapter.js';
import type { Auth } from '../security/auth.js';
import type { ClassHooks } from '../service/write-hooks.js';
import { newObjectId } from '../service/ids.js';

export const HISTORY_CLASS = 'DealStageHistory';
/** More history rows than any deal plausibly has; bounds the ACL move and the delete. */
const MAX_HISTORY_ROWS = 100_000;

const equals = (field: string, type: 'String' | 'Pointer', value: string): Expr => ({
  kind: 'compare',
  ref: { field, type, path: [] },
  op: 'eq',
  value,
});

/** The deal's readers, none of its writers: history is never edited through an ACL grant. */
const readersOnly = memoizedByAclText((aclText) => {
  const readers: AclJson = {};
  for (const [principal, perms] of Object.entries(JSON.parse(aclText) as AclJson)) {
    if (perms.read) readers[principal] = { read: true };
  }
  return parseAcl(readers);
});
const PUBLIC_READ_ONLY = parseAcl({ '*': { read: true } });
export const readOnlyAcl = (dealAcl: unknown): StoredAcl =>
  typeof dealAcl === 'string' ? readersOnly(dealAcl) : PUBLIC_READ_ONLY;

const wireDate = (iso: string) => ({ __type: 'Date', iso });

function checkProbability(values: Row): void {
  const p = values.probability;
  if (p !== undefined && p !== null && !(typeof p === 'number' && p >= 0 && p <= 1)) {
    throw new ParseError(ErrorCode.VALIDATION_ERROR, 'probability must be a number from 0 to 1');
  }
}

export function stageHistoryHooks(schema: SchemaLookup): ClassHooks {
  const historyClass = (): CompiledClass => {
    const cls = schema.get(HISTORY_CLASS);
    if (!cls) throw new ParseError(ErrorCode.INTERNAL_SERVER_ERROR, `${HISTORY_CLASS} is missing`);
    return cls;
  };

  async function record(auth: Auth, deal: Row, from: unknown, tx: StorageTx): Promise<void> {
    const now = new Date().toISOString();
    await tx.insert(historyClass(), {
      objectId: newObjectId(),
      createdAt: now,
      updatedAt: now,
      deal: deal.objectId,
      from: from ?? null,
      to: deal.stage ?? null,
      changedBy: auth.user?.objectId ?? null,
      changedAt: deal.stageChangedAt ?? now,
      ...readOnlyAcl(deal._acl),
    });
  }

  async function historyIds(tx: StorageTx, dealId: string): Promise<string[]> {
    const rows = await tx.find({
      cls: historyClass(),
      where: equals('deal', 'Pointer', dealId),
      order: [],
      limit: MAX_HISTORY_ROWS,
      skip: 0,
      columns: [],
    });
    return rows.map((r) => r.objectId as string);
  }

  return {
    columns: ['stage', 'stageChangedAt'],
    prepare(auth, _cls, body) {
      // The server keeps stageChangedAt; only the master key (imports, backfills) may state it.
      if (!auth.isMaster) delete body.stageChangedAt;
      return {};
    },
    beforeCreate(_auth, _cls, write) {
      checkProbability(write.values);
      // A deal without a stage is in no stage yet: it gets stageChangedAt when it enters one.
      if (write.values.stageChangedAt == null && write.values.stage != null) {
        write.values.stageChangedAt = write.timestamps.createdAt ?? new Date().toISOString();
        write.echo = { ...write.echo, stageChangedAt: wireDate(write.values.stageChangedAt as string) };
      }
    },
    beforeUpdate(_auth, _cls, write, current) {
      checkProbability(write.values);
      const moved = 'stage' in write.values && (write.values.stage ?? null) !== (current.stage ?? null);
      if (moved && !('stageChangedAt' in write.values)) {
        write.values.stageChangedAt = new Date().toISOString();
        write.echo = { ...write.echo, stageChangedAt: wireDate(write.values.stageChangedAt as string) };
      }
    },
    async afterInsert(auth, _cls, row, tx) {
      if (row.stage != null) await record(auth, row, null, tx);
    },
    async afterUpdate(auth, _cls, before, after, tx) {
      if ((after.stage ?? null) !== (before.stage ?? null)) await record(auth, after, before.stage, tx);
      if ((after._acl ?? null) !== (before._acl ?? null)) {
        const acl = readOnlyAcl(after._acl);
        const cls = historyClass();
        for (const id of await historyIds(tx, after.objectId as string)) {
          await tx.update(cls, id, equals('objectId', 'String', id), { ...acl });
        }
      }
    },
    async beforeDelete(_auth, _cls, current, tx) {
      const cls = historyClass();
      for (const id of await historyIds(tx, current.objectId as string)) {
        await tx.delete(cls, id, equals('objectId', 'String', id));
      }
    },
  };
}
