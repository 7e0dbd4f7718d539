import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, Router, RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { signedInGuard, signedOutGuard } from './auth.guards';
import { AuthService } from './auth.service';

describe('auth guards', () => {
  const run = (guard: typeof signedInGuard, url: string) =>
    TestBed.runInInjectionContext(() => guard({} as ActivatedRouteSnapshot, { url } as RouterStateSnapshot));

  beforeEach(() => TestBed.configureTestingModule({ providers: [provideRouter([])] }));

  it('sends a signed-out visitor to sign-in, remembering where they were going', () => {
    const result = run(signedInGuard, '/deals/d1') as UrlTree;
    expect(TestBed.inject(Router).serializeUrl(result)).toBe('/login?returnUrl=%2Fdeals%2Fd1');
  });

  it('lets a signed-in user through and keeps them away from the sign-in page', () => {
    TestBed.inject(AuthService).user.set({ id: 'u1', username: 'ana', email: '' });
    expect(run(signedInGuard, '/pipeline')).toBe(true);
    expect(TestBed.inject(Router).serializeUrl(run(signedOutGuard, '/login') as UrlTree)).toBe('/');
  });
});
