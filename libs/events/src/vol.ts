import { z } from 'zod';
import { EventBase, Finite, OptionTerms } from './common.ts';

/** Why a side has no implied vol. */
export const IvReason = z.enum([
  'no_quote',
  'below_intrinsic',
  'above_max',
  'no_convergence',
  'bad_input',
  'no_forward',
  'expired',
]);
export type IvReason = z.infer<typeof IvReason>;

/** Implied vols of one option quote (fractions: 0.55 is 55%), with the forward, time and greeks
 * they were computed with. Black-76 on the expiry's forward, r = 0, t = ms to expiry / (365 d). */
export const VolPoint = EventBase.extend({
  type: z.literal('vol.point'),
  ...OptionTerms.shape,
  /** Years to expiry, ACT/365 in ms. */
  t: Finite.positive(),
  forward: Finite.positive(),
  /** Forward log-moneyness ln(K/F). */
  k: Finite,
  /** Premium-currency prices used (coin for inverse). */
  bid: Finite.nonnegative().nullable(),
  ask: Finite.nonnegative().nullable(),
  mark: Finite.nonnegative().nullable(),
  bidIv: Finite.nullable(),
  askIv: Finite.nullable(),
  midIv: Finite.nullable(),
  markIv: Finite.nullable(),
  /** Forward Black delta N(d1) (calls) or N(d1) - 1 (puts), at the mid (else mark) vol. */
  delta: Finite.nullable(),
  /** USD per vol point (0.01 of sigma), per 1 unit of underlying. */
  vega: Finite.nullable(),
  reasons: z.object({ bid: IvReason.optional(), ask: IvReason.optional(), mid: IvReason.optional(), mark: IvReason.optional() }),
  /** Re-sent unchanged after a resubscribe/reconnect snapshot; consumers treat it as fresh. */
  refresh: z.boolean().optional(),
});
export type VolPoint = z.infer<typeof VolPoint>;
