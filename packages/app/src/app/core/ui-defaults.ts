import { Dialog } from '@angular/cdk/dialog';
import { Provider } from '@angular/core';
import { provideNativeDateAdapter } from '@angular/material/core';
import { MatDialog } from '@angular/material/dialog';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { MAT_SNACK_BAR_DEFAULT_OPTIONS, MatSnackBar } from '@angular/material/snack-bar';

/**
 * Component-library defaults, provided on the lazy routes rather than at the root so that none of Material's
 * form code is part of the initial download. The dialog and snack-bar services are provided here too: root
 * ones would read their defaults from the root injector, where these do not exist (a snack bar would then
 * stay up forever).
 */
export const uiDefaults: Provider[] = [
  provideNativeDateAdapter(),
  Dialog,
  MatDialog,
  MatSnackBar,
  { provide: MAT_FORM_FIELD_DEFAULT_OPTIONS, useValue: { appearance: 'outline', subscriptSizing: 'dynamic' } },
  { provide: MAT_SNACK_BAR_DEFAULT_OPTIONS, useValue: { duration: 5000 } },
];
