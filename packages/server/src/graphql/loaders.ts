/**
 * Pointer resolution for one request (or one WebSocket operation): every pointer to the same class asked for in
 * the same tick is fetched by ONE `objects.find` with `objectId $in`, so a page of 50 deals with their contact
 * and company costs one query per class per level, never one per object. The fetch is an ordinary find with the
 * caller's auth: ACLs, class-level and protected-field rules apply exactly as in REST.
 */
import DataLoader from 'dataloader';
import type { ParseObjectJson } from '../codec/row-codec.js';
import type { Auth } from '../security/auth.js';
import type { ObjectService } from '../service/object-service.js';

/** Which class an object belongs to, for unions and interfaces (a symbol, so no field name can clash). */
export const CLASS_OF = Symbol('className');

export type ClassTagged = ParseObjectJson & { [CLASS_OF]?: string };

export function tagClass(object: ParseObjectJson, className: string): ClassTagged {
  (object as ClassTagged)[CLASS_OF] = className;
  return object;
}

export interface LoaderOptions {
  /**
   * Keep fetched objects for the rest of the request. Off for long-lived WebSocket operations, where a later
   * event must not see an object as it was when an earlier event loaded it.
   */
  cache: boolean;
  maxBatchSize: number;
}

export class PointerLoaders {
  private readonly byClass = new Map<string, DataLoader<string, ClassTagged | null>>();

  constructor(
    private readonly auth: Auth,
    private readonly objects: ObjectService,
    private readonly options: LoaderOptions,
  ) {}

  /** The object as the caller may see it, or null when it is missing or hidden from them. */
  load(className: string, objectId: string): Promise<ClassTagged | null> {
    return this.loaderFor(className).load(objectId);
  }

  /** After a write: later reads in the same request must not see what was loaded before it. */
  clear(): void {
    for (const loader of this.byClass.values()) loader.clearAll();
  }

  private loaderFor(className: string): DataLoader<string, ClassTagged | null> {
    let loader = this.byClass.get(className);
    if (!loader) {
      loader = new DataLoader(
        async (ids: readonly string[]) => {
          const { results } = await this.objects.find(this.auth, className, {
            where: { objectId: { $in: [...ids] } },
            limit: ids.length,
          });
          const found = new Map(results.map((object) => [object.objectId as string, tagClass(object, className)]));
          return ids.map((id) => found.get(id) ?? null);
        },
        { cache: this.options.cache, maxBatchSize: this.options.maxBatchSize },
      );
      this.byClass.set(className, loader);
    }
    return loader;
  }
}
