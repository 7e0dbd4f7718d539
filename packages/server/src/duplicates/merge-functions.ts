/**
 * Cloud functions for duplicates: `merge` ({className, survivorId, duplicateIds}) and the shorthands
 * `mergeContacts` / `mergeCompanies` ({survivorId, duplicateIds}). Signed-in callers only; the caller's
 * own permissions decide (see merge.ts).
 */
import type { FunctionRegistry } from '../functions/function-registry.js';
import { mergeDuplicates, parseMergeRequest } from './merge.js';

export function registerMergeFunctions(functions: FunctionRegistry): void {
  functions.define('merge', ({ services, auth, params }) => mergeDuplicates(services, auth, parseMergeRequest(params)), {
    requireUser: true,
  });
  functions.define(
    'mergeContacts',
    ({ services, auth, params }) => mergeDuplicates(services, auth, parseMergeRequest(params, 'Contact')),
    { requireUser: true },
  );
  functions.define(
    'mergeCompanies',
    ({ services, auth, params }) => mergeDuplicates(services, auth, parseMergeRequest(params, 'Company')),
    { requireUser: true },
  );
}
