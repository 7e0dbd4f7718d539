/**
 * Rules for _Role writes: a role needs a valid, unique, immutable name and an ACL; any change to a role
 * (members, nesting) invalidates cached role memberships so permissions follow at once.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { ClassHooks } from '../service/write-hooks.js';
import type { SessionResolver } from './session-resolver.js';

export const ROLE_NAME_PATTERN = /^[A-Za-z0-9_ -]{1,100}$/;

export function roleHooks(roles: () => CompiledClass, resolver: SessionResolver): ClassHooks {
  return {
    async prepare(_auth, _cls, body, target) {
      if (target.mode === 'update') {
        if ('name' in body)
          throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, "A role's name can only be set before it has been saved.");
        return {};
      }
      const name = body.name;
      if (typeof name !== 'string' || !ROLE_NAME_PATTERN.test(name)) {
        throw new ParseError(
          ErrorCode.INVALID_ROLE_NAME,
          "A role's name can contain only alphanumeric characters, _, -, and spaces.",
        );
      }
      if (body.ACL === undefined) throw new ParseError(ErrorCode.INCORRECT_TYPE, 'ACL is required.');
      const existing = await target.db.find({
        cls: roles(),
        where: { kind: 'compare', ref: { field: 'name', type: 'String', path: [] }, op: 'eq', value: name },
        order: [],
        limit: 1,
        skip: 0,
        columns: [],
      });
      if (existing.length) throw new ParseError(ErrorCode.DUPLICATE_VALUE, `A role with the name ${name} already exists.`);
      return {};
    },
    afterWrite() {
      resolver.invalidateRoles();
    },
  };
}
