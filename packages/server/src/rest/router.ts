/**
 * One route table for the HTTP server and for batch sub-requests, so a batched operation runs exactly the
 * code its standalone request would.
 */
import FindMyWay from 'find-my-way';
import type { Handler, HttpMethod, Route } from './api-types.js';

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export class ApiRouter {
  private readonly table = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 100_000 });
  readonly routes: Route[] = [];

  add(routes: Route[]): this {
    for (const route of routes) {
      this.routes.push(route);
      this.table.on(route.method, route.path, (() => undefined) as never, { route });
    }
    return this;
  }

  match(method: HttpMethod, path: string): Match | null {
    const found = this.table.find(method, path);
    if (!found) return null;
    const route = (found.store as { route: Route }).route;
    return { route, params: found.params as Record<string, string> };
  }

  /** Paths with the methods they answer, for registering with the HTTP server. */
  paths(): Map<string, HttpMethod[]> {
    const paths = new Map<string, HttpMethod[]>();
    for (const route of this.routes) paths.set(route.path, [...(paths.get(route.path) ?? []), route.method]);
    return paths;
  }
}

export type { Handler };
