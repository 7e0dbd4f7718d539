import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { Deal, STAGES, Stage } from '../../core/models';
import { STAGE_INFO } from '../../core/stages';
import { Avatar } from '../../shared/avatar';
import { daysBetween, formatMoney, formatShortDay, plural } from '../../shared/format';
import { daysInStage } from '../../forecast/pipeline-settings';

@Component({
  selector: 'crm-deal-card',
  imports: [RouterLink, MatIconModule, MatButtonModule, MatMenuModule, MatTooltipModule, Avatar],
  template: `
    <div class="top">
      <a class="title" [routerLink]="['/deals', deal().id]" (click)="$event.stopPropagation()">{{
        deal().title || 'Untitled deal'
      }}</a>
      <button
        mat-icon-button
        class="more"
        [matMenuTriggerFor]="menu"
        [attr.aria-label]="'Actions for ' + deal().title"
        (click)="$event.stopPropagation()"
      >
        <mat-icon>more_horiz</mat-icon>
      </button>
    </div>
    @if (deal().company || deal().contact) {
      <div class="who">
        @if (deal().company; as company) {
          <span class="company"><mat-icon aria-hidden="true">domain</mat-icon>{{ company.name || 'Company' }}</span>
        }
        @if (deal().contact; as contact) {
          <span class="contact"><mat-icon aria-hidden="true">person</mat-icon>{{ contact.name || 'Contact' }}</span>
        }
      </div>
    }
    <div class="bottom">
      <span class="amount">{{ amount() }}</span>
      @if (stale()) {
        <span class="stale" data-testid="stale-flag" [matTooltip]="staleHint()" [attr.aria-label]="staleHint()">
          <mat-icon aria-hidden="true">hourglass_bottom</mat-icon>Stale
        </span>
      }
      @if (deal().pending) {
        <mat-icon class="pending" matTooltip="Waiting to sync" aria-label="Waiting to sync">cloud_upload</mat-icon>
      }
      @if (closing(); as close) {
        <span class="close" [class.overdue]="close.overdue" [attr.aria-label]="'Expected close ' + close.label">
          <mat-icon aria-hidden="true">event</mat-icon>{{ close.label }}
        </span>
      }
      @if (deal().owner; as owner) {
        <crm-avatar [name]="owner.name || '?'" [size]="22" />
      }
    </div>

    <mat-menu #menu="matMenu">
      <a mat-menu-item [routerLink]="['/deals', deal().id]"><mat-icon>open_in_new</mat-icon>Open deal</a>
      <div class="menu-label" role="presentation">Move to</div>
      @for (stage of stages; track stage) {
        @if (stage !== deal().stage) {
          <button mat-menu-item (click)="move.emit(stage)">
            <span class="dot" [style.background]="info[stage].color"></span>{{ info[stage].label }}
          </button>
        }
      }
    </mat-menu>
  `,
  styleUrl: './deal-card.scss',
  host: { '[class.is-pending]': 'deal().pending', '[class.is-stale]': 'stale()', '[class.closed]': '!info[deal().stage].open' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DealCard {
  readonly deal = input.required<Deal>();
  /** Idle in its stage longer than the stage allows (computed by the board from the stage settings). */
  readonly stale = input(false);
  readonly move = output<Stage>();

  protected readonly staleHint = computed(() => {
    const days = daysInStage(this.deal());
    return `No stage change for ${days == null ? 'a long time' : plural(days, 'day')}`;
  });

  protected readonly stages = STAGES;
  protected readonly info = STAGE_INFO;
  protected readonly amount = computed(() => formatMoney(this.deal().amount));
  protected readonly closing = computed(() => {
    const date = this.deal().expectedCloseDate;
    if (!date) return null;
    const open = STAGE_INFO[this.deal().stage].open;
    return { label: formatShortDay(date), overdue: open && daysBetween(new Date(), date) < 0 };
  });
}
