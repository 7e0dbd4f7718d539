import { Routes } from '@angular/router';
import { uiDefaults } from '../core/ui-defaults';
import { Shell } from './shell';

export default [
  {
    path: '',
    component: Shell,
    providers: uiDefaults,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'pipeline' },
      {
        path: 'pipeline',
        title: 'Pipeline · Pipeline CRM',
        loadComponent: () => import('../deals/pipeline/pipeline-page').then((m) => m.PipelinePage),
      },
      {
        path: 'deals/:id',
        title: 'Deal · Pipeline CRM',
        loadComponent: () => import('../deals/detail/deal-detail-page').then((m) => m.DealDetailPage),
      },
      {
        path: 'dashboard',
        title: 'Dashboard · Pipeline CRM',
        loadComponent: () => import('../dashboard/dashboard-page').then((m) => m.DashboardPage),
      },
      {
        path: 'contacts',
        title: 'Contacts · Pipeline CRM',
        loadComponent: () => import('../contacts/contacts-page').then((m) => m.ContactsPage),
      },
      {
        path: 'contacts/:id',
        title: 'Contact · Pipeline CRM',
        loadComponent: () => import('../contacts/contact-detail-page').then((m) => m.ContactDetailPage),
      },
      {
        path: 'companies',
        title: 'Companies · Pipeline CRM',
        loadComponent: () => import('../companies/companies-page').then((m) => m.CompaniesPage),
      },
      {
        path: 'companies/:id',
        title: 'Company · Pipeline CRM',
        loadComponent: () => import('../companies/company-detail-page').then((m) => m.CompanyDetailPage),
      },
      {
        path: 'activities',
        title: 'Activities · Pipeline CRM',
        loadComponent: () => import('../activities/activities-page').then((m) => m.ActivitiesPage),
      },
    ],
  },
] satisfies Routes;
