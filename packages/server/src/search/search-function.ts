/** The `search` cloud function: `Parse.Cloud.run('search', {q, classes?, limit?})` → ranked hits. */
import type { FunctionRegistry } from '../functions/function-registry.js';
import type { SearchService } from './search-service.js';

export function registerSearchFunction(functions: FunctionRegistry, search: SearchService): void {
  functions.define('search', (request) => search.search(request.auth, request.params));
}
