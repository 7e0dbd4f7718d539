import { Routes } from '@angular/router';
import { signedInGuard, signedOutGuard } from './auth/auth.guards';

/** Everything past the guards is lazy: the first download holds only the framework, the SDK and the session. */
export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Pipeline CRM',
    canActivate: [signedOutGuard],
    data: { mode: 'login' },
    loadChildren: () => import('./auth/auth.routes'),
  },
  {
    path: 'signup',
    title: 'Create account · Pipeline CRM',
    canActivate: [signedOutGuard],
    data: { mode: 'signup' },
    loadChildren: () => import('./auth/auth.routes'),
  },
  { path: '', canActivate: [signedInGuard], loadChildren: () => import('./shell/shell.routes') },
  { path: '**', redirectTo: '' },
];
