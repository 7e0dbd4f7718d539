/** Parse's user endpoints: /users (sign-up and the _User class), /login, /logout, /users/me, /verifyPassword. */
import type { ApiRequest, Route } from '../api-types.js';
import { classRoutes } from './classes.js';
import { ErrorCode, ParseError } from '../../errors/parse-error.js';

const withClass =
  (className: string) =>
  (route: Route): Route => ({
    ...route,
    handler: (req: ApiRequest) => route.handler({ ...req, params: { ...req.params, className } }),
  });

const signUp: Route['handler'] = async (req) => {
  const result = await req.services.users.signUp(req.auth, req.input, req.installationId, req.requestId);
  return { status: 201, body: result, location: `/users/${String(result.objectId)}` };
};

const logIn: Route['handler'] = async (req) => ({ body: await req.services.users.logIn(req.input, req.installationId) });

/** `/classes/:className` routes re-mounted under a fixed class (`/users`, `/roles`, `/sessions`). */
export function aliasRoutes(prefix: string, className: string): Route[] {
  return classRoutes.map((route) => ({
    ...withClass(className)(route),
    path: route.path.replace('/classes/:className', prefix),
  }));
}

export const userRoutes: Route[] = [
  { method: 'GET', path: '/users/me', handler: async (req) => ({ body: await req.services.users.me(req.auth) }) },
  ...aliasRoutes('/users', '_User').filter((r) => !(r.method === 'POST' && r.path === '/users')),
  { method: 'POST', path: '/users', handler: signUp },
  { method: 'POST', path: '/classes/_User', handler: signUp },
  { method: 'GET', path: '/login', handler: logIn },
  { method: 'POST', path: '/login', handler: logIn },
  { method: 'POST', path: '/logout', handler: async (req) => ({ body: await req.services.users.logOut(req.auth) }) },
  {
    method: 'GET',
    path: '/verifyPassword',
    handler: async (req) => ({ body: await req.services.users.verifyPassword(req.input) }),
  },
  {
    method: 'POST',
    path: '/verifyPassword',
    handler: async (req) => ({ body: await req.services.users.verifyPassword(req.input) }),
  },
  ...aliasRoutes('/roles', '_Role'),
];

const currentSession: Route['handler'] = async (req) => ({ body: await req.services.users.currentSession(req.auth) });

/** Parse answers a session query without a session with 209, not an empty list. */
const requireSession = (route: Route): Route => ({
  ...route,
  handler: async (req) => {
    if (!req.auth.isMaster && !req.auth.user) throw new ParseError(ErrorCode.INVALID_SESSION_TOKEN, 'Invalid session token');
    return route.handler(req);
  },
});

export const sessionRoutes: Route[] = [
  { method: 'GET', path: '/sessions/me', handler: currentSession },
  ...aliasRoutes('/sessions', '_Session').map(requireSession),
];

export const accountRoutes: Route[] = [
  {
    method: 'POST',
    path: '/requestPasswordReset',
    handler: async (req) => ({ body: await req.services.accounts.requestPasswordReset(req.input.email) }),
  },
  {
    method: 'POST',
    path: '/verificationEmailRequest',
    handler: async (req) => ({ body: await req.services.accounts.requestVerification(req.input.email) }),
  },
];
