import { describe, expect, it } from 'vitest';
import { domainKey, emailKey } from './keys.js';

describe('duplicate keys', () => {
  it('emails compare trimmed and case-insensitively', () => {
    expect(emailKey('  Ada@Engines.Example ')).toBe('ada@engines.example');
    expect(emailKey('')).toBeNull();
    expect(emailKey('   ')).toBeNull();
    expect(emailKey(null)).toBeNull();
    expect(emailKey(42)).toBeNull();
  });

  it('websites compare by domain: scheme, www., port, path, query and case stripped', () => {
    for (const site of [
      'https://www.Acme.com/about',
      'acme.com',
      'http://acme.com',
      'ACME.COM/',
      'www.acme.com:8080/x?y=1#z',
      ' https://acme.com. ',
      'https://user@www.acme.com',
    ]) {
      expect(domainKey(site), site).toBe('acme.com');
    }
    expect(domainKey('https://shop.acme.com')).toBe('shop.acme.com');
    expect(domainKey('https://www2.acme.co.uk/en')).toBe('acme.co.uk');
  });

  it('text that is not a domain has no key', () => {
    for (const site of ['', '  ', 'n/a', 'none', 'http://', 'https://exa mple.com', null, undefined, 3]) {
      expect(domainKey(site), String(site)).toBeNull();
    }
  });
});
