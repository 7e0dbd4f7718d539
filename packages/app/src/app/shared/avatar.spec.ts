import { TestBed } from '@angular/core/testing';
import { Avatar, initialsOf } from './avatar';

describe('initialsOf', () => {
  it.each([
    ['Ada Lovelace', 'AL'],
    ['grace', 'GR'],
    ['jean-luc picard', 'JP'],
    ['  ', '?'],
  ])('%s → %s', (name, expected) => expect(initialsOf(name)).toBe(expected));
});

describe('Avatar', () => {
  it('renders initials and hides itself from screen readers', async () => {
    const fixture = TestBed.createComponent(Avatar);
    fixture.componentRef.setInput('name', 'Ada Lovelace');
    await fixture.whenStable();
    const host: HTMLElement = fixture.nativeElement;
    expect(host.textContent?.trim()).toBe('AL');
    expect(host.getAttribute('aria-hidden')).toBe('true');
  });
});
