import { normalizeWebsite } from './company.service';
import { hostOf } from './website';

describe('company websites', () => {
  it('stores one form of an address and shows the host', () => {
    expect(normalizeWebsite(' acme.com/ ')).toBe('https://acme.com');
    expect(normalizeWebsite('http://acme.com')).toBe('http://acme.com');
    expect(normalizeWebsite('')).toBe('');
    expect(hostOf('https://www.acme.com/about')).toBe('acme.com');
  });
});
