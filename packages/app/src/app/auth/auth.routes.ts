import { Routes } from '@angular/router';
import { uiDefaults } from '../core/ui-defaults';
import { AuthPage } from './auth-page';

export default [{ path: '', component: AuthPage, providers: uiDefaults }] satisfies Routes;
