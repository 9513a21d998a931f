import { describe, expect, it } from 'vitest';
import { expiryToken, filter, parseShare, subject } from './subjects.ts';
import { safeTopic, subjectFor } from './routing.ts';
import { EXAMPLES } from './fixtures.ts';
import { InvalidTokenError } from './errors.ts';

describe('subjects', () => {
  it('builds <stage>.<venue>.<underlying>.<expiry>.<topic>', () => {
    expect(subject('md', { venue: 'deribit', underlying: 'BTC', expiryTs: Date.UTC(2026, 10, 27, 8), topic: 'BTC-27NOV26-95000-C' }))
      .toBe('md.deribit.BTC.20261127.BTC-27NOV26-95000-C');
    expect(subject('md', { venue: 'deribit', underlying: 'BTC', topic: '_idx' })).toBe('md.deribit.BTC._._idx');
  });

  it('rejects tokens NATS would misread, naming the value', () => {
    for (const bad of ['a.b', '*', '>', 'a b', '']) {
      expect(() => subject('md', { venue: bad, topic: 'x' })).toThrow(InvalidTokenError);
    }
    expect(() => subject('md', { venue: 'deribit', topic: 'x.y' })).toThrow(/"x\.y"/);
  });

  it('expiry tokens sort like time', () => {
    expect(expiryToken(Date.UTC(2026, 0, 2, 8))).toBe('20260102');
    expect(expiryToken(undefined)).toBe('_');
  });

  it('builds share filters with one wildcard', () => {
    expect(filter('vol')).toBe('vol.>');
    expect(filter('vol', { venue: 'deribit' })).toBe('vol.deribit.>');
    expect(filter('vol', { underlying: 'BTC' })).toBe('vol.*.BTC.>');
    expect(filter('book', { venue: 'deribit', underlying: 'ETH', expiry: '20261127' })).toBe('book.deribit.ETH.20261127.>');
    expect(parseShare('deribit.*.20261127')).toEqual({ venue: 'deribit', underlying: undefined, expiry: '20261127' });
  });

  it('turns any instrument name into a valid token', () => {
    expect(safeTopic('XRP-231006-0.44-C')).toBe('XRP-231006-0d44-C');
    expect(safeTopic('_weird name')).toBe('x_weirddname');
    expect(subject('vol', { venue: 'binance', underlying: 'XRP', topic: safeTopic('XRP-231006-0.44-C') })).toBe('vol.binance.XRP._.XRP-231006-0d44-C');
  });

  it('routes every event to a subject inside its share', () => {
    for (const e of EXAMPLES) {
      if (e.type === 'rejected') continue;
      const stage = e.type === 'status' ? 'book' : (e.type.split('.')[0] as 'md');
      const s = subjectFor(stage, e);
      expect(s.startsWith(`${stage}.deribit.BTC.`), s).toBe(true);
      expect(s.split('.')).toHaveLength(5);
    }
  });
});
