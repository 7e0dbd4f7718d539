/**
 * Class-specific rules that run inside the object service's writes: Parse's system classes (_User, _Role,
 * _Session) and the CRM policy (default ACLs, createdBy). Hooks may change the decoded write or refuse it
 * with a ParseError; they run before anything is stored, so a refusal leaves nothing half-written.
 */
import type { DecodedWrite } from '../codec/write-body.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { Row } from '../storage/adapter.js';
import type { Auth } from '../security/auth.js';

export interface ClassHooks {
  beforeCreate?(auth: Auth, cls: CompiledClass, write: DecodedWrite): Promise<void> | void;
  beforeUpdate?(auth: Auth, cls: CompiledClass, write: DecodedWrite, current: Row): Promise<void> | void;
  beforeDelete?(auth: Auth, cls: CompiledClass, current: Row): Promise<void> | void;
  /** Extra columns beforeUpdate/beforeDelete need from the current row. */
  columns?: readonly string[];
}

export class WriteHooks {
  private readonly byClass = new Map<string, ClassHooks[]>();
  private readonly global: ClassHooks[] = [];

  /** Registers hooks for one class, or for every class when className is '*'. */
  register(className: string, hooks: ClassHooks): void {
    if (className === '*') this.global.push(hooks);
    else this.byClass.set(className, [...(this.byClass.get(className) ?? []), hooks]);
  }

  private hooksFor(className: string): ClassHooks[] {
    return [...this.global, ...(this.byClass.get(className) ?? [])];
  }

  columnsFor(cls: CompiledClass): string[] {
    return this.hooksFor(cls.className).flatMap((h) => h.columns ?? []).filter((c) => cls.fields.has(c) || c.startsWith('_'));
  }

  async beforeCreate(auth: Auth, cls: CompiledClass, write: DecodedWrite): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.beforeCreate?.(auth, cls, write);
  }

  async beforeUpdate(auth: Auth, cls: CompiledClass, write: DecodedWrite, current: Row): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.beforeUpdate?.(auth, cls, write, current);
  }

  async beforeDelete(auth: Auth, cls: CompiledClass, current: Row): Promise<void> {
    for (const hooks of this.hooksFor(cls.className)) await hooks.beforeDelete?.(auth, cls, current);
  }
}
