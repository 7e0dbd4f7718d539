import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { STAGES, Stage } from '../../core/models';
import { STAGE_INFO } from '../../core/stages';

/** The pipeline as a row of steps: where the deal is, and one click to move it. */
@Component({
  selector: 'crm-stage-bar',
  template: `
    <div class="bar" role="radiogroup" aria-label="Stage">
      @for (stage of stages; track stage; let i = $index) {
        <button
          type="button"
          role="radio"
          [attr.aria-checked]="stage === current()"
          [class.reached]="i <= indexOf(current()) && open(current())"
          [class.current]="stage === current()"
          [style.--stage-color]="info[stage].color"
          [style.--stage-ink]="info[stage].ink"
          [disabled]="disabled()"
          (click)="stage !== current() && select.emit(stage)"
        >
          {{ info[stage].label }}
        </button>
      }
    </div>
  `,
  styles: `
    .bar {
      display: flex;
      gap: 4px;
      overflow-x: auto;
    }
    button {
      flex: 1 0 auto;
      min-width: 88px;
      height: 34px;
      border: 0;
      border-radius: 6px;
      background: #eceef3;
      color: var(--crm-muted);
      font: inherit;
      font-size: 13px;
      font-weight: 600;
      cursor: pointer;
      transition: background 120ms ease;
    }
    button:hover:not(:disabled) {
      background: #e1e4eb;
    }
    button.reached {
      background: color-mix(in srgb, var(--stage-color) 14%, white);
      color: var(--stage-ink);
    }
    button.current {
      background: var(--stage-ink);
      color: #fff;
    }
    button:disabled {
      cursor: default;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StageBar {
  readonly current = input.required<Stage>();
  readonly disabled = input(false);
  readonly select = output<Stage>();

  protected readonly stages = STAGES;
  protected readonly info = STAGE_INFO;
  protected indexOf(stage: Stage): number {
    return STAGES.indexOf(stage);
  }
  protected open(stage: Stage): boolean {
    return STAGE_INFO[stage].open;
  }
}
