import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { GlobalSearch } from './global-search';
import { groupHits, SearchService } from './search.service';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GlobalSearch', () => {
  let asked: string[];
  let navigated: unknown[];

  beforeEach(() => {
    asked = [];
    navigated = [];
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        {
          provide: SearchService,
          useValue: {
            search: async (q: string) => {
              asked.push(q);
              return q === 'zzz'
                ? []
                : groupHits([
                    { className: 'Contact', objectId: 'c1', title: 'Ada Lovelace', subtitle: 'ada@example.test', score: 16 },
                    { className: 'Company', objectId: 'k1', title: 'Analytical Engines', score: 8 },
                  ]);
            },
          },
        },
      ],
    });
    const router = TestBed.inject(Router);
    router.navigate = (async (commands: unknown[]) => {
      navigated.push(commands);
      return true;
    }) as Router['navigate'];
  });

  async function typeInto(input: HTMLInputElement, text: string): Promise<void> {
    input.focus();
    input.value = text;
    input.dispatchEvent(new Event('input'));
  }

  it('waits for a pause in typing, shows results grouped by kind and opens the chosen record', async () => {
    const fixture = TestBed.createComponent(GlobalSearch);
    await fixture.whenStable();
    const input: HTMLInputElement = fixture.nativeElement.querySelector('input');
    await typeInto(input, 'a');
    await typeInto(input, 'ad');
    await typeInto(input, 'ada');
    expect(asked).toEqual([]);
    await pause(300);
    await fixture.whenStable();
    expect(asked).toEqual(['ada']);

    const groups = [...document.querySelectorAll('mat-optgroup')].map((g) =>
      g.querySelector('.mat-mdc-optgroup-label')?.textContent?.trim(),
    );
    expect(groups).toEqual(['Contacts', 'Companies']);
    const option = document.querySelector('[data-testid="search-result-c1"]') as HTMLElement;
    expect(option.textContent).toContain('Ada Lovelace');
    expect(option.textContent).toContain('ada@example.test');

    option.click();
    await fixture.whenStable();
    expect(navigated).toEqual([['/contacts', 'c1']]);
    expect(input.value).toBe('');
  });

  it('says so when nothing matches, and asks nothing for blank text', async () => {
    const fixture = TestBed.createComponent(GlobalSearch);
    await fixture.whenStable();
    const input: HTMLInputElement = fixture.nativeElement.querySelector('input');
    await typeInto(input, '   ');
    await pause(300);
    expect(asked).toEqual([]);
    await typeInto(input, 'zzz');
    await pause(300);
    await fixture.whenStable();
    expect(asked).toEqual(['zzz']);
    expect(document.querySelector('mat-option')?.textContent).toContain('No match for “zzz”');
  });
});
