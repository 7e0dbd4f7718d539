import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { Ref } from '../core/models';
import { RecordPicker } from './record-picker';

@Component({
  imports: [RecordPicker, ReactiveFormsModule],
  template: `<crm-record-picker label="Company" [search]="search" [formControl]="control" />`,
})
class Host {
  readonly control = new FormControl<Ref | null>({ id: 'c1', name: 'Acme' });
  readonly terms = signal<string[]>([]);
  readonly search = async (term: string) => {
    this.terms.update((terms) => [...terms, term]);
    return [{ id: 'c2', name: 'Beta' }];
  };
}

describe('RecordPicker', () => {
  it('shows the chosen record, searches as the user types and clears to null', async () => {
    {
      const fixture = TestBed.createComponent(Host);
      await fixture.whenStable();
      const input: HTMLInputElement = fixture.nativeElement.querySelector('input');
      expect(input.value).toBe('Acme');
      expect(input.getAttribute('role')).toBe('combobox');

      input.value = 'be';
      input.dispatchEvent(new Event('input'));
      await new Promise((resolve) => setTimeout(resolve, 260));
      expect(fixture.componentInstance.terms()).toEqual(['be']);

      (fixture.nativeElement.querySelector('button[aria-label="Clear Company"]') as HTMLButtonElement).click();
      expect(fixture.componentInstance.control.value).toBeNull();
    }
  });
});
