import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, signatureHeader, verifySignature } from './signature.js';

describe('webhook signatures', () => {
  const body = '{"event":"deal.created"}';
  const now = Date.UTC(2026, 0, 2, 3, 4, 5);

  it('is HMAC-SHA256 of "timestamp.body" in hex, with the timestamp in seconds', () => {
    const header = signatureHeader('s3cret', body, now);
    const t = Math.floor(now / 1000);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', 's3cret').update(`${t}.${body}`).digest('hex')}`);
    expect(sign('s3cret', t, body)).toHaveLength(64);
  });

  it('verifies the right secret and body within the tolerance only', () => {
    const header = signatureHeader('s3cret', body, now);
    expect(verifySignature(header, body, 's3cret', 300, now + 60_000)).toBe(true);
    expect(verifySignature(header, body, 'other', 300, now)).toBe(false);
    expect(verifySignature(header, `${body} `, 's3cret', 300, now)).toBe(false);
    expect(verifySignature(header, body, 's3cret', 300, now + 301_000)).toBe(false);
    expect(verifySignature('t=abc,v1=00', body, 's3cret', 300, now)).toBe(false);
    expect(verifySignature('garbage', body, 's3cret', 300, now)).toBe(false);
  });
});
