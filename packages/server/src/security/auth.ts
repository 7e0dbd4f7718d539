/**
 * Who is asking. Resolved once per request (auth/resolve-auth.ts) and handed to every service call;
 * the security layer derives all permission decisions from it.
 */
export interface AuthUser {
  objectId: string;
  username?: string;
}

export interface Auth {
  readonly isMaster: boolean;
  readonly user: AuthUser | null;
  /** Session token as presented (needed for /users/me and logout); never stored in clear. */
  readonly sessionToken?: string;
  /** Role names (without the `role:` prefix) the user holds, nested roles included. */
  readonly roles: readonly string[];
}

export const MASTER: Auth = Object.freeze({ isMaster: true, user: null, roles: [] });
export const ANONYMOUS: Auth = Object.freeze({ isMaster: false, user: null, roles: [] });

/** ACL principals this auth acts as: '*', its user id and its roles. */
export function principalsOf(auth: Auth): string[] {
  const principals = ['*'];
  if (auth.user) principals.push(auth.user.objectId);
  for (const role of auth.roles) principals.push(`role:${role}`);
  return principals;
}
