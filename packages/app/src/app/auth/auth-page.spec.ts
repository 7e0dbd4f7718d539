import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import Parse from 'parse';
import { AuthPage } from './auth-page';
import { AuthService } from './auth.service';

describe('AuthPage', () => {
  let auth: { logIn: ReturnType<typeof vi.fn>; signUp: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    auth = { logIn: vi.fn(async () => undefined), signUp: vi.fn(async () => undefined) };
    TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: AuthService, useValue: auth }] });
  });

  async function render(inputs: Record<string, string>) {
    const fixture = TestBed.createComponent(AuthPage);
    for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
    await fixture.whenStable();
    return fixture;
  }

  it('explains why the user was sent back after a session expired', async () => {
    const fixture = await render({ reason: 'expired' });
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="status"]')?.textContent).toContain(
      'Your session has expired',
    );
  });

  it('signs in and returns to the page the user wanted, never to another site', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = await render({ returnUrl: '//evil.example' });
    fixture.componentInstance.form.setValue({ username: 'ana', email: '', password: 'pw' });
    await fixture.componentInstance.submit();
    expect(auth.logIn).toHaveBeenCalledWith('ana', 'pw');
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('shows a wrong password as such', async () => {
    auth.logIn.mockRejectedValueOnce(new Parse.Error(101, 'Invalid username/password.'));
    const fixture = await render({});
    fixture.componentInstance.form.setValue({ username: 'ana', email: '', password: 'nope' });
    await fixture.componentInstance.submit();
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')?.textContent).toContain(
      'Wrong username or password.',
    );
  });

  it('requires an email to sign up', async () => {
    const fixture = await render({ mode: 'signup' });
    fixture.componentInstance.form.setValue({ username: 'ana', email: '', password: 'pw' });
    await fixture.componentInstance.submit();
    expect(auth.signUp).not.toHaveBeenCalled();
    fixture.componentInstance.form.controls.email.setValue('ana@x.io');
    await fixture.componentInstance.submit();
    expect(auth.signUp).toHaveBeenCalledWith({ username: 'ana', email: 'ana@x.io', password: 'pw' });
  });
});
