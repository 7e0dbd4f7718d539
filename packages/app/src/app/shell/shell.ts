import { BreakpointObserver } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, inject, viewChild } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatDividerModule } from '@angular/material/divider';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenav, MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { Avatar } from '../shared/avatar';
import { confirm } from '../shared/confirm-dialog';
import { SyncIndicator } from '../sync/sync-indicator';
import { SyncService } from '../sync/sync.service';
import { GlobalSearch } from '../search/global-search';
import { NAV_ITEMS } from './nav-items';

@Component({
  selector: 'crm-shell',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatSidenavModule,
    MatToolbarModule,
    MatIconModule,
    MatButtonModule,
    MatMenuModule,
    MatDividerModule,
    MatTooltipModule,
    SyncIndicator,
    Avatar,
    GlobalSearch,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Shell {
  protected readonly auth = inject(AuthService);
  private readonly sync = inject(SyncService);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly sidenav = viewChild.required(MatSidenav);

  protected readonly nav = NAV_ITEMS;
  protected readonly compact = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 959px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly roleLabel = computed(() => {
    const roles = this.auth.roles();
    return roles.includes('admins') ? 'Admin' : roles.includes('managers') ? 'Manager' : 'Sales rep';
  });

  constructor() {
    // On small screens the drawer covers the page; close it once the user has picked a destination.
    this.router.events.pipe(filter((event) => event instanceof NavigationEnd)).subscribe(() => {
      if (this.compact()) void this.sidenav().close();
    });
  }

  protected async signOut(): Promise<void> {
    const pending = this.sync.pending();
    if (pending > 0) {
      const proceed = await confirm(this.dialog, {
        title: 'Sign out with unsent changes?',
        message: `${pending} change${pending === 1 ? '' : 's'} made offline ${pending === 1 ? 'has' : 'have'} not reached the server yet and will be lost.`,
        confirm: 'Sign out anyway',
        danger: true,
      });
      if (!proceed) return;
    }
    await this.auth.logOut();
  }
}
