import { describe, expect, it } from 'vitest';
import { checkWebhookUrl } from './url-policy.js';
import { subscribes, isValidEventName, eventPrefix } from './events.js';

describe('webhook URLs', () => {
  it('accepts http(s) only', () => {
    expect(checkWebhookUrl('https://hooks.example.com/a?b=1').hostname).toBe('hooks.example.com');
    for (const url of ['ftp://x/y', 'file:///etc/passwd', 'data:text/plain,hi', 'gopher://x', '//x/y', 42]) {
      expect(() => checkWebhookUrl(url)).toThrow(expect.objectContaining({ code: 142 }));
    }
  });

  it('with an allowlist, only the listed hosts (case-insensitive, IPv6 literals unbracketed)', () => {
    const allowed = ['Hooks.Example.com', '::1'];
    expect(() => checkWebhookUrl('https://hooks.example.com/x', allowed)).not.toThrow();
    expect(() => checkWebhookUrl('http://[::1]:8080/x', allowed)).not.toThrow();
    expect(() => checkWebhookUrl('http://169.254.169.254/latest', allowed)).toThrow(/WEBHOOK_ALLOWED_HOSTS/);
    expect(() => checkWebhookUrl('https://hooks.example.com.evil.test/x', allowed)).toThrow(/not in/);
  });
});

describe('event names', () => {
  it('selects exact names, <class>.* and *', () => {
    expect(subscribes(['deal.created'], 'deal.created')).toBe(true);
    expect(subscribes(['deal.created'], 'deal.updated')).toBe(false);
    expect(subscribes(['deal.*'], 'deal.stage_changed')).toBe(true);
    expect(subscribes(['deal.*'], 'dealer.created')).toBe(false);
    expect(subscribes(['*'], 'lineItem.deleted')).toBe(true);
  });

  it('validates names and derives the class part', () => {
    expect(['deal.created', 'contact.*', '*', 'lineItem.stage_changed'].every(isValidEventName)).toBe(true);
    expect(['deal', 'deal.exploded', 'Deal.created', '', 7].some(isValidEventName)).toBe(false);
    expect(eventPrefix('LineItem')).toBe('lineItem');
  });
});
