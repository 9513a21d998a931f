import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isDeribitCombo, parseDeribitName } from './instrument-name.ts';

describe('parseDeribitName', () => {
  it.each([
    ['BTC-5JUN20-9250-C', { kind: 'option', base: 'BTC', quote: undefined, expiryTs: Date.parse('2020-06-05T08:00:00Z'), strike: 9250, optionType: 'call' }],
    ['ETH-24JUN22-1600-P', { kind: 'option', base: 'ETH', quote: undefined, expiryTs: Date.parse('2022-06-24T08:00:00Z'), strike: 1600, optionType: 'put' }],
    ['XRP_USDC-29JUN26-0d025-C', { kind: 'option', base: 'XRP', quote: 'USDC', expiryTs: Date.parse('2026-06-29T08:00:00Z'), strike: 0.025, optionType: 'call' }],
    ['MATIC_USDC-9MAR24-1d02-C', { kind: 'option', base: 'MATIC', quote: 'USDC', expiryTs: Date.parse('2024-03-09T08:00:00Z'), strike: 1.02, optionType: 'call' }],
    ['BTC-27MAR26', { kind: 'future', base: 'BTC', quote: undefined, expiryTs: Date.parse('2026-03-27T08:00:00Z') }],
    ['BTC-PERPETUAL', { kind: 'perpetual', base: 'BTC', quote: undefined }],
    ['LINK_USDC-PERPETUAL', { kind: 'perpetual', base: 'LINK', quote: 'USDC' }],
  ])('%s', (name, expected) => {
    expect(parseDeribitName(name)).toEqual(expected);
  });

  it('agrees with the real expiration_timestamp of the 2020 chain (BTC-22MAY20 = 1590134400000)', () => {
    expect(parseDeribitName('BTC-22MAY20-9250-P')).toMatchObject({ expiryTs: 1590134400000 });
    expect(parseDeribitName('ETH-6JUL25-1500-C')).toMatchObject({ expiryTs: 1751788800000 });
  });

  it.each(['BTC-STRD-30SEP22-20000', 'BTC-FS-30SEP22_PERP', 'BTC-CSR12-16SEP22-21000_23000', 'BTC-31FEB21-1000-C', 'BTC-5XYZ20-1000-C', 'BTC-5JUN20-0-C', 'btc-5JUN20-1000-C', ''])(
    'rejects %j', (name) => expect(parseDeribitName(name)).toBeUndefined());

  it('recognises combos but not perpetuals or options as combos', () => {
    expect(isDeribitCombo('BTC-STRD-30SEP22-20000')).toBe(true);
    expect(isDeribitCombo('BTC-FS-30SEP22_PERP')).toBe(true);
    expect(isDeribitCombo('BTC-PERPETUAL')).toBe(false);
    expect(isDeribitCombo('BTC-5JUN20-9250-C')).toBe(false);
  });

  it('round-trips generated option names', () => {
    const months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
    fc.assert(fc.property(fc.date({ min: new Date('2019-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 500_000 }), fc.boolean(), (d, strike, call) => {
      const name = `BTC-${d.getUTCDate()}${months[d.getUTCMonth()]}${String(d.getUTCFullYear() % 100).padStart(2, '0')}-${strike}-${call ? 'C' : 'P'}`;
      const p = parseDeribitName(name);
      expect(p).toMatchObject({ kind: 'option', strike, optionType: call ? 'call' : 'put' });
      const exp = new Date(p && 'expiryTs' in p ? p.expiryTs : NaN);
      expect([exp.getUTCFullYear(), exp.getUTCMonth(), exp.getUTCDate(), exp.getUTCHours()]).toEqual([d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 8]);
    }));
  });
});
