/** Why an implied volatility could not be produced (STYLE.md habit 8: named outcomes). */
export type IvFailure = 'no_quote' | 'below_intrinsic' | 'above_max' | 'no_convergence' | 'bad_input';

/** Outcome of an implied-vol solve; never thrown, always returned. */
export type IvResult = { ok: true; iv: number; iterations: number } | { ok: false; reason: IvFailure };

/** Inputs of the checked solver: an undiscounted premium in the currency of forward/strike. */
export type ImpliedVolInput = {
  /** Undiscounted option premium, same currency as forward/strike (USD for Deribit after × F). */
  price: number;
  /** Forward price of the underlying. */
  forward: number;
  /** Strike, same currency as forward. */
  strike: number;
  /** Time to expiry in years. */
  t: number;
  /** true for a call, false for a put. */
  isCall: boolean;
};

/** Numeric reason codes used by the batch solver's Uint8Array (0 = ok). */
export const IV_REASON_CODE = {
  ok: 0,
  no_quote: 1,
  below_intrinsic: 2,
  above_max: 3,
  no_convergence: 4,
  bad_input: 5,
} as const satisfies Record<IvFailure | 'ok', number>;

/** Inverse of IV_REASON_CODE: index by the code to get the reason name. */
export const IV_REASON_NAME = ['ok', 'no_quote', 'below_intrinsic', 'above_max', 'no_convergence', 'bad_input'] as const;
