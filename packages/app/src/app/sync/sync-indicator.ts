import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { SyncService } from './sync.service';

/** Always visible in the toolbar: whether what you see and do reaches the server right now. */
@Component({
  selector: 'crm-sync-indicator',
  imports: [MatIconModule, MatTooltipModule],
  template: `
    <span
      class="indicator"
      [class]="sync.state()"
      role="status"
      aria-live="polite"
      [matTooltip]="detail()"
      data-testid="sync-indicator"
    >
      <mat-icon aria-hidden="true" [class.spin]="sync.state() === 'syncing'">{{ icon() }}</mat-icon>
      <span class="label">{{ label() }}</span>
      @if (sync.pending() > 0) {
        <span class="count" [attr.aria-label]="sync.pending() + ' changes waiting to sync'">{{ sync.pending() }}</span>
      }
    </span>
  `,
  styles: `
    .indicator {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      height: 32px;
      padding: 0 12px 0 10px;
      border-radius: 16px;
      font-size: 13px;
      font-weight: 550;
    }
    .online {
      background: #ecfdf5;
      color: #047857;
    }
    .offline {
      background: #fef3c7;
      color: #92400e;
    }
    .syncing {
      background: #eef2ff;
      color: #3730a3;
    }
    .count {
      background: #92400e;
    }
    .syncing .count {
      background: #3730a3;
    }
    mat-icon {
      font-size: 18px;
      width: 18px;
      height: 18px;
    }
    .count {
      min-width: 18px;
      height: 18px;
      padding: 0 5px;
      border-radius: 9px;
      color: #fff;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      font-size: 11px;
      line-height: 1;
      box-sizing: border-box;
    }
    .spin {
      animation: spin 1s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (max-width: 600px) {
      .label {
        display: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SyncIndicator {
  protected readonly sync = inject(SyncService);

  protected readonly icon = computed(() => ({ online: 'cloud_done', offline: 'cloud_off', syncing: 'sync' })[this.sync.state()]);
  protected readonly label = computed(() => ({ online: 'Online', offline: 'Offline', syncing: 'Syncing…' })[this.sync.state()]);
  protected readonly detail = computed(() => {
    const pending = this.sync.pending();
    const waiting = pending === 1 ? '1 change waits' : `${pending} changes wait`;
    switch (this.sync.state()) {
      case 'offline':
        return pending ? `Offline: showing saved data, ${waiting} to be sent` : 'Offline: showing the data saved on this device';
      case 'syncing':
        return `Sending ${pending || ''} offline changes`.replace('  ', ' ');
      default:
        return 'Connected: changes are saved and shared instantly';
    }
  });
}
