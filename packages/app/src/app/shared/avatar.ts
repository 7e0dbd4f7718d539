import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

const HUES = [210, 262, 330, 24, 150, 190, 45, 290];

/** Initials on a colour derived from the name, so the same person always looks the same across screens. */
@Component({
  selector: 'crm-avatar',
  template: `{{ initials() }}`,
  host: {
    'aria-hidden': 'true',
    '[style.--avatar-hue]': 'hue()',
    '[style.--avatar-size.px]': 'size()',
    '[attr.title]': 'name()',
  },
  styles: `
    :host {
      display: inline-grid;
      place-items: center;
      flex: none;
      width: var(--avatar-size);
      height: var(--avatar-size);
      border-radius: 50%;
      background: hsl(var(--avatar-hue) 70% 92%);
      color: hsl(var(--avatar-hue) 60% 28%);
      font-size: calc(var(--avatar-size) * 0.4);
      font-weight: 650;
      letter-spacing: 0.02em;
      user-select: none;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Avatar {
  readonly name = input.required<string>();
  readonly size = input(32);

  protected readonly initials = computed(() => initialsOf(this.name()));
  protected readonly hue = computed(() => {
    let hash = 0;
    for (const char of this.name()) hash = (hash * 31 + char.charCodeAt(0)) | 0;
    return HUES[Math.abs(hash) % HUES.length];
  });
}

export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/[\s._@-]+/)
    .filter(Boolean);
  if (words.length === 0) return '?';
  const letters = words.length === 1 ? words[0].slice(0, 2) : words[0][0] + words[words.length - 1][0];
  return letters.toUpperCase();
}
