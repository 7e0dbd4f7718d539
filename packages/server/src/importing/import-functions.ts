import type { FunctionRegistry } from '../functions/function-registry.js';
export function registerImportFunctions(_functions: FunctionRegistry): void {}
