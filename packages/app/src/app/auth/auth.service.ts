import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import Parse from 'parse';
import { SessionEvents } from '../core/session-events';
import { CurrentUser, TeamRole, toCurrentUser } from './current-user';

const ROLES_KEY = 'crm.roles';

/** 'expired' keeps the offline queue: the same user signing in again can still send it. */
export type SignOutReason = 'logout' | 'expired';

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
}

/** The signed-in user, their team roles, and the SDK's session (kept by the SDK in localStorage). */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly router = inject(Router);
  private readonly signOutHandlers = new Set<(reason: SignOutReason) => void | Promise<void>>();

  readonly user = signal<CurrentUser | null>(null);
  readonly roles = signal<readonly TeamRole[]>([]);
  readonly signedIn = computed(() => this.user() !== null);
  /** Managers and admins see and may reassign every deal; reps only their own. */
  readonly canManageTeam = computed(() => this.roles().length > 0);

  constructor() {
    inject(SessionEvents).expired.subscribe(() => void this.expire());
  }

  /** Picks up the session the SDK kept from the last visit; works offline, the server is asked later. */
  restore(): void {
    const current = Parse.User.current();
    if (!current) return;
    const user = toCurrentUser(current);
    this.user.set(user);
    this.roles.set(readCachedRoles(user.id));
    void this.refreshRoles();
  }

  async logIn(username: string, password: string): Promise<void> {
    const user = await Parse.User.logIn(username.trim(), password);
    await this.adopt(user);
  }

  async signUp(input: SignUpInput): Promise<void> {
    const user = new Parse.User();
    user.set('username', input.username.trim());
    user.set('email', input.email.trim());
    user.set('password', input.password);
    await user.signUp();
    await this.adopt(user);
  }

  async logOut(): Promise<void> {
    await this.clearSession('logout');
    await this.router.navigate(['/login']);
  }

  /** Stores register here to drop their data when the user changes. */
  onSignOut(handler: (reason: SignOutReason) => void | Promise<void>): void {
    this.signOutHandlers.add(handler);
  }

  userPointer(): Parse.User | undefined {
    const id = this.user()?.id;
    return id ? (Parse.User.createWithoutData(id) as Parse.User) : undefined;
  }

  private async expire(): Promise<void> {
    if (!this.user()) return;
    await this.clearSession('expired');
    await this.router.navigate(['/login'], { queryParams: { reason: 'expired' } });
  }

  private async adopt(user: Parse.User): Promise<void> {
    const current = toCurrentUser(user);
    this.user.set(current);
    this.roles.set(readCachedRoles(current.id));
    await this.refreshRoles();
  }

  private async clearSession(reason: SignOutReason): Promise<void> {
    const userId = this.user()?.id;
    this.user.set(null);
    this.roles.set([]);
    if (userId) localStorage.removeItem(`${ROLES_KEY}.${userId}`);
    await Promise.all([...this.signOutHandlers].map(async (handler) => handler(reason)));
    try {
      await Parse.User.logOut();
    } catch {
      // Offline or an already invalid session: the SDK has cleared the local session before asking the server.
    }
  }

  private async refreshRoles(): Promise<void> {
    const current = Parse.User.current();
    if (!current) return;
    try {
      const roles = await new Parse.Query(Parse.Role).equalTo('users', current).find();
      const names = roles
        .map((role) => role.getName())
        .filter((name): name is TeamRole => name === 'admins' || name === 'managers');
      const userId = this.user()?.id;
      if (!userId || userId !== current.id) return;
      this.roles.set(names);
      localStorage.setItem(`${ROLES_KEY}.${userId}`, JSON.stringify(names));
    } catch {
      // Offline: keep the cached roles; the server enforces them anyway.
    }
  }
}

function readCachedRoles(userId: string): TeamRole[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(`${ROLES_KEY}.${userId}`) ?? '[]');
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
