import { z } from 'zod';

/** Schema version of every event written today; readers upcast older versions (see codec.ts). */
export const SCHEMA_VERSION = 1 as const;

/** A subject token: no dots, wildcards or spaces (NATS tokens), kept short and printable. */
export const TOKEN_RE = /^[A-Za-z0-9_\-]{1,128}$/;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
export const Finite = finite;
export const Millis = z.number().int().nonnegative();

/** Fields every event carries. `ts` is the exchange's time, `recvTs` the local receive time of
 * the market data that led to it (propagated unchanged through the stages, so end-to-end
 * latency is measurable); `id` is deterministic and sent as `Nats-Msg-Id`. */
export const EventBase = z.object({
  v: z.literal(SCHEMA_VERSION),
  id: z.string().min(1).max(256),
  venue: z.string().regex(TOKEN_RE),
  ts: Millis,
  recvTs: Millis,
});

/** One price level: [price, amount]. Prices in the instrument's premium currency (coin for
 * inverse options), amounts in the venue's contract units. In a delta, amount 0 deletes. */
export const Level = z.tuple([finite, finite.nonnegative()]);
export type Level = z.infer<typeof Level>;

export const OptionType = z.enum(['call', 'put']);
export type OptionType = z.infer<typeof OptionType>;

/** inverse: premium in the underlying coin, payoff in coin (Deribit BTC/ETH options);
 * linear: premium and payoff in the quote currency (USDC/USDT). */
export const Settlement = z.enum(['inverse', 'linear']);
export type Settlement = z.infer<typeof Settlement>;

/** Terms of an option that downstream stages need to price it. */
export const OptionTerms = z.object({
  instrument: z.string().min(1),
  underlying: z.string().regex(TOKEN_RE),
  expiryTs: Millis,
  strike: finite.positive(),
  optionType: OptionType,
  settlement: Settlement,
  /** Contract multiplier: underlying units per contract (Deribit inverse: 1). */
  contractSize: finite.positive(),
});
export type OptionTerms = z.infer<typeof OptionTerms>;
