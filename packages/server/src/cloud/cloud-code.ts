/**
 * The hooks file's `Parse.Cloud` API and the triggers it registers. Triggers run where the object service
 * calls them (after permission checks; before* inside the write's transaction, after* after commit) with
 * Parse SDK objects; functions join the one FunctionRegistry. Everything user code does runs inside a
 * cloud scope, so its SDK calls act for the caller unless it asks for the master key.
 */
import { ErrorCode, ParseError } from '../errors/parse-error.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { CloudTriggers, TriggerName, TriggerScope } from '../service/cloud-triggers.js';
import type { FunctionOptions, FunctionRegistry } from '../functions/function-registry.js';
import type { Row } from '../storage/adapter.js';
import { cloudScope, MAX_CLOUD_DEPTH } from './cloud-scope.js';
import { bodyAfterSave, objectForSave, objectFromRow, userObject } from './parse-objects.js';
import { sdkEncode, type Parse, type SdkObject } from './private-sdk.js';

export interface CloudLogger {
  warn(details: object, message: string): void;
}

export interface TriggerRequest {
  triggerName: TriggerName;
  object: SdkObject;
  original?: SdkObject;
  user?: SdkObject;
  master: boolean;
  context: Record<string, unknown>;
}

export interface FunctionCallRequest {
  functionName: string;
  params: Record<string, unknown>;
  user?: SdkObject;
  master: boolean;
  ip: string;
  installationId?: string;
}

type Handler<R> = (request: R) => unknown;
type ClassRef = string | { className?: string; new (): { className: string } };

const TRIGGERS: readonly TriggerName[] = ['beforeSave', 'afterSave', 'beforeDelete', 'afterDelete'];

export class CloudCode implements CloudTriggers {
  private readonly triggers = new Map<string, Map<TriggerName, Handler<TriggerRequest>>>();

  constructor(
    private readonly sdk: Parse,
    private readonly functions: FunctionRegistry,
    private readonly log: CloudLogger,
  ) {}

  /** The methods added to the hooks file's `Parse.Cloud`. */
  api(): Record<string, (...args: never[]) => void> {
    const api: Record<string, (...args: never[]) => void> = {};
    for (const trigger of TRIGGERS) {
      api[trigger] = (target: ClassRef, handler: Handler<TriggerRequest>) => this.register(trigger, target, handler);
    }
    api.define = (name: string, handler: Handler<FunctionCallRequest>, validator?: FunctionOptions) =>
      this.define(name, handler, validator);
    for (const unsupported of ['beforeFind', 'afterFind', 'beforeLogin', 'afterLogin', 'afterLogout', 'job']) {
      api[unsupported] = () => {
        throw new Error(`Parse.Cloud.${unsupported} is not supported by this server (docs/CLOUD-CODE.md)`);
      };
    }
    return api;
  }

  private register(trigger: TriggerName, target: ClassRef, handler: Handler<TriggerRequest>): void {
    const className = typeof target === 'string' ? target : (target.className ?? new target().className);
    if (typeof className !== 'string' || className === '') throw new Error(`Parse.Cloud.${trigger} needs a class name`);
    if (typeof handler !== 'function') throw new Error(`Parse.Cloud.${trigger}(${className}) needs a function`);
    const forClass = this.triggers.get(className) ?? new Map<TriggerName, Handler<TriggerRequest>>();
    forClass.set(trigger, handler);
    this.triggers.set(className, forClass);
  }

  private define(name: string, handler: Handler<FunctionCallRequest>, validator?: FunctionOptions): void {
    if (typeof handler !== 'function') throw new Error(`Parse.Cloud.define(${name}) needs a function`);
    const options: FunctionOptions = {
      requireUser: validator?.requireUser === true,
      requireMaster: validator?.requireMaster === true,
    };
    this.functions.define(
      name,
      async (call) => {
        const request: FunctionCallRequest = {
          functionName: name,
          params: call.params,
          user: userObject(this.sdk, call.user, call.auth.sessionToken),
          master: call.master,
          ip: call.ip,
          installationId: call.installationId,
        };
        const scope = { auth: call.auth, context: {} };
        const result = await this.inScope(scope, () => handler(request), call.ip);
        return sdkEncode(this.sdk, result);
      },
      options,
    );
  }

  has(className: string, trigger: TriggerName): boolean {
    return this.triggers.get(className)?.has(trigger) ?? false;
  }

  async beforeSave(cls: CompiledClass, body: Record<string, unknown>, original: Row | null, scope: TriggerScope) {
    const handler = this.handler(cls.className, 'beforeSave');
    let object = objectForSave(this.sdk, cls, body, original);
    const returned = await this.inScope(scope, () => handler(this.request('beforeSave', cls, object, original, scope)));
    // Parse Server also accepts the object returned by the trigger.
    if (returned instanceof this.sdk.Object && returned.className === cls.className) object = returned;
    return bodyAfterSave(object, body);
  }

  async afterSave(cls: CompiledClass, object: Row, original: Row | null, scope: TriggerScope): Promise<void> {
    await this.after('afterSave', cls, object, original, scope);
  }

  async beforeDelete(cls: CompiledClass, object: Row, scope: TriggerScope): Promise<void> {
    const handler = this.handler(cls.className, 'beforeDelete');
    const target = objectFromRow(this.sdk, cls, object);
    await this.inScope(scope, () => handler(this.request('beforeDelete', cls, target, null, scope)));
  }

  async afterDelete(cls: CompiledClass, object: Row, scope: TriggerScope): Promise<void> {
    await this.after('afterDelete', cls, object, null, scope);
  }

  /** after* triggers: the write committed, so an error is logged and never reaches the client. */
  private async after(trigger: TriggerName, cls: CompiledClass, row: Row, original: Row | null, scope: TriggerScope) {
    try {
      const handler = this.handler(cls.className, trigger);
      const object = objectFromRow(this.sdk, cls, row);
      await this.inScope(scope, () => handler(this.request(trigger, cls, object, original, scope)));
    } catch (error) {
      this.log.warn({ err: error, className: cls.className, objectId: row.objectId }, `cloud code ${trigger} failed`);
    }
  }

  private handler(className: string, trigger: TriggerName): Handler<TriggerRequest> {
    const handler = this.triggers.get(className)?.get(trigger);
    if (!handler) throw new Error(`no ${trigger} trigger for ${className}`);
    return handler;
  }

  private request(trigger: TriggerName, cls: CompiledClass, object: SdkObject, original: Row | null, scope: TriggerScope) {
    const request: TriggerRequest = {
      triggerName: trigger,
      object,
      user: userObject(this.sdk, scope.auth.user, scope.auth.sessionToken),
      master: scope.auth.isMaster,
      context: scope.context,
    };
    if (original) request.original = objectFromRow(this.sdk, cls, original);
    return request;
  }

  /** Runs user code for `scope`, mapping what it throws to the error the client gets. */
  private async inScope(scope: TriggerScope, work: () => unknown, ip?: string): Promise<unknown> {
    const parent = cloudScope.getStore();
    const depth = (parent?.depth ?? 0) + 1;
    if (depth > MAX_CLOUD_DEPTH) {
      throw new ParseError(ErrorCode.SCRIPT_FAILED, `cloud code nested more than ${MAX_CLOUD_DEPTH} levels deep`);
    }
    const store = { auth: scope.auth, tx: scope.tx, afterCommit: scope.afterCommit, depth, ip: ip ?? parent?.ip };
    try {
      return await cloudScope.run(store, work);
    } catch (error) {
      throw this.toServerError(error);
    }
  }

  /** A thrown Parse.Error keeps its code; anything else is Parse's 141 with the message. */
  private toServerError(error: unknown): ParseError {
    if (error instanceof ParseError) return error;
    if (error instanceof this.sdk.Error) return new ParseError(error.code, error.message);
    if (error instanceof Error) return new ParseError(ErrorCode.SCRIPT_FAILED, error.message);
    if (typeof error === 'string') return new ParseError(ErrorCode.SCRIPT_FAILED, error);
    return new ParseError(ErrorCode.SCRIPT_FAILED, 'Cloud code failed.');
  }
}
