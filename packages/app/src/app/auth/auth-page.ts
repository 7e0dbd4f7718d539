import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { describeError } from '../core/errors';
import { AuthService } from './auth.service';

/** Sign-in and sign-up share one screen: same layout, the sign-up form adds the email field. */
@Component({
  selector: 'crm-auth-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
  ],
  templateUrl: './auth-page.html',
  styleUrl: './auth-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuthPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  readonly mode = input<'login' | 'signup'>('login');
  readonly reason = input<string>();
  readonly returnUrl = input<string>();

  readonly signingUp = computed(() => this.mode() === 'signup');
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly showPassword = signal(false);
  readonly notice = computed(() =>
    this.reason() === 'expired' && !this.error() ? 'Your session has expired. Please sign in again.' : null,
  );

  readonly form = inject(NonNullableFormBuilder).group({
    username: ['', [Validators.required, Validators.maxLength(64)]],
    email: ['', [Validators.email, Validators.maxLength(200)]],
    password: ['', [Validators.required]],
  });

  async submit(): Promise<void> {
    const { email } = this.form.controls;
    email.setValidators(this.signingUp() ? [Validators.required, Validators.email, Validators.maxLength(200)] : []);
    email.updateValueAndValidity();
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { username, password } = this.form.getRawValue();
    try {
      if (this.signingUp()) await this.auth.signUp({ username, email: email.value, password });
      else await this.auth.logIn(username, password);
      await this.router.navigateByUrl(this.safeReturnUrl());
    } catch (error) {
      this.error.set(this.signingUp() ? describeError(error) : loginMessage(error));
    } finally {
      this.busy.set(false);
    }
  }

  /** Only paths inside the app: a crafted link must not send a freshly signed-in user elsewhere. */
  private safeReturnUrl(): string {
    const url = this.returnUrl();
    return url && url.startsWith('/') && !url.startsWith('//') ? url : '/';
  }
}

function loginMessage(error: unknown): string {
  const code = (error as { code?: number }).code;
  return code === 101 ? 'Wrong username or password.' : describeError(error);
}
