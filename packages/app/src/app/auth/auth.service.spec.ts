import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import Parse from 'parse';
import { SessionEvents } from '../core/session-events';
import { fakeRest } from '../../testing/fake-rest';
import { AuthService } from './auth.service';

function loginReply() {
  return { objectId: 'u1', username: 'ana', email: 'ana@x.io', sessionToken: 'r:abc', createdAt: '2026-01-01T00:00:00.000Z' };
}

describe('AuthService', () => {
  let auth: AuthService;
  let navigate: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    navigate = vi.fn().mockResolvedValue(true);
    TestBed.configureTestingModule({ providers: [{ provide: Router, useValue: { navigate } }] });
    auth = TestBed.inject(AuthService);
  });

  afterEach(async () => {
    fakeRest(() => ({}));
    await Parse.User.logOut().catch(() => undefined);
  });

  it('signs in and learns the team roles', async () => {
    fakeRest(({ path }) =>
      path === 'login'
        ? loginReply()
        : path === 'classes/_Role'
          ? { results: [{ objectId: 'r1', name: 'managers', className: '_Role' }] }
          : {},
    );
    await auth.logIn(' ana ', 'pw');
    expect(auth.user()).toEqual({ id: 'u1', username: 'ana', email: 'ana@x.io' });
    expect(auth.roles()).toEqual(['managers']);
    expect(auth.canManageTeam()).toBe(true);
  });

  it('signs up with username, email and password', async () => {
    const calls = fakeRest(({ path }) =>
      path === 'users' ? { objectId: 'u2', sessionToken: 'r:new', createdAt: '2026-01-01T00:00:00.000Z' } : { results: [] },
    );
    await auth.signUp({ username: 'bo', email: 'bo@x.io', password: 'secret' });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: 'users',
      data: { username: 'bo', email: 'bo@x.io', password: 'secret' },
    });
    expect(auth.user()?.username).toBe('bo');
    expect(auth.canManageTeam()).toBe(false);
  });

  it('on an expired session clears the user, tells the stores and goes to sign-in with a reason', async () => {
    fakeRest(({ path }) => (path === 'login' ? loginReply() : { results: [] }));
    await auth.logIn('ana', 'pw');
    const cleared = vi.fn();
    auth.onSignOut(cleared);
    TestBed.inject(SessionEvents).expired.next();
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith(['/login'], { queryParams: { reason: 'expired' } }));
    expect(auth.user()).toBeNull();
    expect(cleared).toHaveBeenCalledWith('expired');
    expect(Parse.User.current()).toBeFalsy();
  });

  it('restores the session kept by the SDK', async () => {
    fakeRest(({ path }) => (path === 'login' ? loginReply() : { results: [] }));
    await Parse.User.logIn('ana', 'pw');
    auth.restore();
    expect(auth.user()?.id).toBe('u1');
  });
});
