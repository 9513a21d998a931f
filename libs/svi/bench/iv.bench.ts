/*
 * IVs per second: the "Let's Be Rational"-class solver (impliedVolBatch) against a plain
 * Newton-with-bisection baseline (src/iv/newton.ts) on the same random chain, same run.
 * Run: npm run bench -w @volstream/svi. Numbers are for one core: best of 7 rounds of CPU time
 * (process.cpuUsage) after a warm-up round.
 */
import { black76Price } from '../src/black76.ts';
import { impliedVolBatch } from '../src/iv/implied-vol-batch.ts';
import { impliedVol } from '../src/iv/implied-vol.ts';
import { newtonImpliedVol } from '../src/iv/newton.ts';

const N = 200_000;
const ROUNDS = 7;

/** Deterministic PRNG (mulberry32) so runs are comparable. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A chain like Deribit's: t from 1 hour to 2 years, vols 20%..200%, strikes within ±2.5
// standard deviations of the forward (ln(F/K) = u·σ√t, u ∈ [−2.5, 2.5]), calls and puts
// (half of them in the money), forward 10 000.
const rnd = mulberry32(20200514);
const prices = new Float64Array(N);
const forwards = new Float64Array(N);
const strikes = new Float64Array(N);
const ts = new Float64Array(N);
const isCall = new Uint8Array(N);
const truth = new Float64Array(N);
for (let i = 0; i < N; i++) {
  const t = Math.exp(Math.log(1 / 8760) + rnd() * Math.log(2 * 8760));
  const sigma = 0.2 + 1.8 * rnd();
  const k = (rnd() * 5 - 2.5) * sigma * Math.sqrt(t);
  const forward = 10_000;
  const strike = forward * Math.exp(-k);
  const call = rnd() < 0.5;
  forwards[i] = forward;
  strikes[i] = strike;
  ts[i] = t;
  isCall[i] = call ? 1 : 0;
  truth[i] = sigma;
  prices[i] = black76Price({ forward, strike, t, sigma, isCall: call });
}

const out = new Float64Array(N);
const reasons = new Uint8Array(N);
const iterationsOut = new Uint8Array(N);

/** Best-of-ROUNDS throughput in IV/s of one core: CPU time of this (single-threaded) process,
 *  so that other load on a shared machine does not count against the solver. */
function timeIt(run: () => void): number {
  run(); // warm-up (JIT)
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const c0 = process.cpuUsage();
    run();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e6);
  }
  return N / best;
}

const lbrBatchRate = timeIt(() => {
  impliedVolBatch({ prices, forwards, strikes, ts, isCall, out, reasons, iterationsOut });
});
const newtonOut = new Float64Array(N);
const newtonRate = timeIt(() => {
  for (let i = 0; i < N; i++) {
    newtonOut[i] = newtonImpliedVol({
      price: prices[i]!, forward: forwards[i]!, strike: strikes[i]!, t: ts[i]!, isCall: isCall[i] === 1,
    });
  }
});
const lbrSingleOut = new Float64Array(N);
const lbrSingleRate = timeIt(() => {
  for (let i = 0; i < N; i++) {
    const r = impliedVol({ price: prices[i]!, forward: forwards[i]!, strike: strikes[i]!, t: ts[i]!, isCall: isCall[i] === 1 });
    lbrSingleOut[i] = r.ok ? r.iv : Number.NaN;
  }
});

/** Max relative error against the σ that generated the price, over all options and over
 *  out-of-the-money ones (ITM prices carry the rounding of the intrinsic part, which limits
 *  any solver to ε·price/(σ·vega)). */
function maxRelErr(a: Float64Array): { all: number; otm: number; failed: number } {
  let all = 0;
  let otm = 0;
  let failed = 0;
  for (let i = 0; i < N; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) {
      failed++;
      continue;
    }
    const e = Math.abs(v - truth[i]!) / truth[i]!;
    all = Math.max(all, e);
    const isOtm = isCall[i] === 1 ? strikes[i]! >= forwards[i]! : strikes[i]! <= forwards[i]!;
    if (isOtm) otm = Math.max(otm, e);
  }
  return { all, otm, failed };
}
const itHist = [0, 0, 0, 0, 0];
for (let i = 0; i < N; i++) itHist[Math.min(iterationsOut[i]!, 4)]!++;

const fmt = (r: number): string => `${(r / 1e6).toFixed(2)} M IV/s`;
const e1 = maxRelErr(out);
const e2 = maxRelErr(newtonOut);
console.log(`chain: ${N} options, t 1h..2y, |ln(F/K)| ≤ 2.5·σ√t, σ 20%..200%, node ${process.version}`);
console.log(`LBR impliedVolBatch : ${fmt(lbrBatchRate)}  (max rel err OTM ${e1.otm.toExponential(2)}, all ${e1.all.toExponential(2)}, failed ${e1.failed}; iterations 1:${itHist[1]} 2:${itHist[2]} 3:${itHist[3]})`);
console.log(`LBR impliedVol      : ${fmt(lbrSingleRate)}`);
console.log(`Newton+bisection    : ${fmt(newtonRate)}  (max rel err OTM ${e2.otm.toExponential(2)}, all ${e2.all.toExponential(2)}, failed ${e2.failed})`);
console.log(`ratio LBR batch / Newton: ${(lbrBatchRate / newtonRate).toFixed(2)}x`);
