/**
 * Cloud functions (`POST /parse/functions/:name`, `Parse.Cloud.run`). Built-in CRM functions and the ones a
 * hooks file defines live in one registry, so every front end (REST, batch, GraphQL) runs them the same way.
 * A function receives the caller's Auth and reaches data only through the services, so it cannot read
 * more than the caller could through REST.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { Auth, AuthUser } from '../security/auth.js';
import type { Services } from '../service/services.js';

export interface FunctionRequest {
  params: Record<string, unknown>;
  auth: Auth;
  /** The signed-in user, as Parse Cloud Code's `request.user` (null when anonymous or master key only). */
  user: AuthUser | null;
  master: boolean;
  ip: string;
  installationId?: string;
  services: Services;
}

/** Returns the JSON result, already in wire shape (`{"__type":"Date",…}` for dates). */
export type CloudFunction = (request: FunctionRequest) => unknown;

export interface FunctionOptions {
  /** Refuse callers without a session (and without the master key) with 209/119 before the function runs. */
  requireUser?: boolean;
  /** Only the master key may call it. */
  requireMaster?: boolean;
}

interface Entry {
  fn: CloudFunction;
  options: FunctionOptions;
}

export class FunctionRegistry {
  private readonly functions = new Map<string, Entry>();

  define(name: string, fn: CloudFunction, options: FunctionOptions = {}): void {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new Error(`invalid cloud function name: ${name}`);
    this.functions.set(name, { fn, options });
  }

  has(name: string): boolean {
    return this.functions.has(name);
  }

  names(): string[] {
    return [...this.functions.keys()].sort();
  }

  async run(name: string, request: FunctionRequest): Promise<unknown> {
    const entry = this.functions.get(name);
    if (!entry) throw new ParseError(ErrorCode.SCRIPT_FAILED, `Invalid function: "${name}"`);
    if (entry.options.requireMaster && !request.master) {
      throw new ParseError(ErrorCode.OPERATION_FORBIDDEN, 'Permission denied: this function needs the master key.');
    }
    if (entry.options.requireUser && !request.user && !request.master) {
      throw new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'This function needs a signed-in user.');
    }
    try {
      const result = await entry.fn(request);
      return result === undefined ? null : result;
    } catch (error) {
      if (error instanceof ParseError) throw error;
      // Parse Cloud Code reports a thrown Error (or string) as 141 with its message.
      const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Cloud function failed.';
      throw new ParseError(ErrorCode.SCRIPT_FAILED, message);
    }
  }
}
