export interface NavItem {
  path: string;
  label: string;
  icon: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/dashboard', label: 'Dashboard', icon: 'space_dashboard' },
  { path: '/pipeline', label: 'Pipeline', icon: 'view_kanban' },
  { path: '/activities', label: 'Activities', icon: 'task_alt' },
  { path: '/contacts', label: 'Contacts', icon: 'group' },
  { path: '/companies', label: 'Companies', icon: 'domain' },
];
