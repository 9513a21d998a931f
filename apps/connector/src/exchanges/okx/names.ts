import { expiryFromYymmdd } from '../common/expiry.ts';

/**
 * OKX v5 instrument ids (EXCHANGES.md §2): options `BTC-USD-241227-60000-C` (family `BTC-USD`,
 * USDC-margined families `*-USD_UM`), futures `BTC-USD-241227`, swaps `BTC-USD-SWAP`, index
 * `BTC-USD`. Expiry = 08:00 UTC of the YYMMDD date.
 */
export type OkxName =
  | { kind: 'option'; base: string; family: string; expiryTs: number; strike: number; optionType: 'call' | 'put' }
  | { kind: 'future'; base: string; family: string; expiryTs: number }
  | { kind: 'perpetual'; base: string; family: string };

const OPTION_RE = /^([A-Z0-9]+)-([A-Z0-9_]+)-(\d{6})-(\d+(?:\.\d+)?)-([CP])$/;
const FUTURE_RE = /^([A-Z0-9]+)-([A-Z0-9_]+)-(\d{6})$/;
const SWAP_RE = /^([A-Z0-9]+)-([A-Z0-9_]+)-SWAP$/;

export function parseOkxName(instId: string): OkxName | undefined {
  let m = OPTION_RE.exec(instId);
  if (m) {
    const expiryTs = expiryFromYymmdd(m[3]!);
    const strike = Number(m[4]);
    if (expiryTs === undefined || !(strike > 0)) return undefined;
    return { kind: 'option', base: m[1]!, family: `${m[1]}-${m[2]}`, expiryTs, strike, optionType: m[5] === 'C' ? 'call' : 'put' };
  }
  m = FUTURE_RE.exec(instId);
  if (m) {
    const expiryTs = expiryFromYymmdd(m[3]!);
    return expiryTs === undefined ? undefined : { kind: 'future', base: m[1]!, family: `${m[1]}-${m[2]}`, expiryTs };
  }
  m = SWAP_RE.exec(instId);
  if (m) return { kind: 'perpetual', base: m[1]!, family: `${m[1]}-${m[2]}` };
  return undefined;
}

/** `BTC-USD` (an index or a family) → `BTC`. */
export function baseOfPair(pair: string): string | undefined {
  const m = /^([A-Z0-9]+)-[A-Z0-9_]+$/.exec(pair);
  return m ? m[1] : undefined;
}

/** Session channel keys: `<channel>:<instId | instFamily | instType>`. */
export function okxChannelKey(arg: { channel: string; instId?: string | undefined; instFamily?: string | undefined; uly?: string | undefined; instType?: string | undefined }): string {
  return `${arg.channel}:${arg.instId ?? arg.instFamily ?? arg.uly ?? arg.instType ?? ''}`;
}

/** The subscribe `arg` object of a channel key (inverse of okxChannelKey for what we subscribe). */
export function okxArg(key: string): { channel: string; instId?: string; instFamily?: string; instType?: string } {
  const i = key.indexOf(':');
  const channel = key.slice(0, i);
  const target = key.slice(i + 1);
  if (channel === 'opt-summary') return { channel, instFamily: target };
  if (channel === 'instruments') return { channel, instType: target };
  return { channel, instId: target };
}
