/*
 * Smile/surface fit timings: Zeliade quasi-explicit SVI (fitSmile / svi-qe) and eSSVI against a
 * plain 5-parameter Nelder–Mead baseline (src/baseline-fit.ts), on the same seeded 13-expiry
 * Deribit-like chains, in the same run. Aims: per-expiry p99 < 2 ms, 13-expiry surface < 20 ms.
 * Run: npm run bench:fit -w @volstream/svi (single thread; first rounds are JIT warm-up).
 */
import { performance } from 'node:perf_hooks';
import { baselineFit } from '../src/baseline-fit.ts';
import { essviFitter } from '../src/essvi-fitter.ts';
import { fitSmile } from '../src/fit-smile.ts';
import { fitSurface } from '../src/fit-surface.ts';
import { DERIBIT_LIKE_DAYS, mulberry32, syntheticChain, syntheticSurface } from '../src/synthetic-chain.ts';
import type { SurfaceExpiryInput } from '../src/surface-types.ts';

const SURFACES = 40;
const WARMUP = 5;

function pct(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

const rand = mulberry32(20200514);
const chains: SurfaceExpiryInput[][] = [];
for (let i = 0; i < SURFACES + WARMUP; i++) {
  const ts = DERIBIT_LIKE_DAYS.map((d) => d / 365);
  const level = 0.45 + 0.4 * rand();
  const atmVols = ts.map((t) => level + 0.25 * Math.exp(-8 * t));
  const rho = -0.6 + 0.7 * rand();
  const eta = (0.6 + 1.3 * rand()) / (1 + Math.abs(rho));
  const slices = syntheticSurface({ ts, atmVols, rho, eta, gamma: 0.3 + 0.2 * rand() });
  chains.push(syntheticChain({ slices, rand }));
}

/** CPU time of the current process in ms (user + system): unlike wall time it does not count
 *  the time this thread was preempted, which matters on a shared 2-core box. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const qe: number[] = [];
const qeCpu: number[] = [];
const base: number[] = [];
const paths: Record<string, number> = {};
let qeRmse = 0;
let baseRmse = 0;
let n = 0;
chains.forEach((chain, ci) => {
  for (const e of chain) {
    const c0 = cpuMs();
    let t0 = performance.now();
    const r = fitSmile({ quotes: e.quotes, t: e.t });
    const dq = performance.now() - t0;
    const cq = cpuMs() - c0;
    t0 = performance.now();
    const b = baselineFit({ quotes: e.quotes, t: e.t });
    const db = performance.now() - t0;
    if (ci < WARMUP) continue;
    qe.push(dq);
    qeCpu.push(cq);
    base.push(db);
    const path = r.ok ? (r.diagnostics.arbitrageFix ?? 'plain') : 'rejected';
    paths[path] = (paths[path] ?? 0) + 1;
    if (r.ok) qeRmse += r.diagnostics.rmse ** 2;
    baseRmse += 1e4 * b.sse;
    n++;
  }
});

const surf: number[] = [];
const surfCpu: number[] = [];
const surfE: number[] = [];
let refits = 0;
// Per-surface median of ROUNDS repeated fits: the box is shared, so single samples carry
// preemption and GC pauses of other work; both views are printed.
const ROUNDS = 3;
const perSurface: number[][] = chains.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  chains.forEach((chain, ci) => {
    const t0 = performance.now();
    fitSurface({ expiries: chain });
    if (ci >= WARMUP) perSurface[ci]!.push(performance.now() - t0);
  });
}
const surfMedian = perSurface.slice(WARMUP).map((xs) => pct(xs, 50));
chains.forEach((chain, ci) => {
  const c0 = cpuMs();
  let t0 = performance.now();
  const s = fitSurface({ expiries: chain });
  const d = performance.now() - t0;
  const cd = cpuMs() - c0;
  if (ci >= WARMUP) refits += s.calendar.repaired;
  t0 = performance.now();
  fitSurface({ expiries: chain, fitter: essviFitter });
  const de = performance.now() - t0;
  if (ci >= WARMUP) {
    surf.push(d);
    surfCpu.push(cd);
    surfE.push(de);
  }
});
const baseSurf = Array.from({ length: SURFACES }, (_, i) => base.slice(i * 13, i * 13 + 13).reduce((a, b) => a + b, 0));

const f = (x: number) => x.toFixed(3);
console.log(`per-expiry fit, ${qe.length} expiries (13 per surface x ${SURFACES} surfaces, after ${WARMUP} warm-up surfaces)`);
console.log(`  svi-qe   p50 ${f(pct(qe, 50))} ms  p99 ${f(pct(qe, 99))} ms  max ${f(pct(qe, 100))} ms  rms of rmse ${f(Math.sqrt(qeRmse / n))} vol pt`);
console.log(`  svi-qe   CPU time p50 ${f(pct(qeCpu, 50))} ms  p99 ${f(pct(qeCpu, 99))} ms  (paths: ${Object.entries(paths).map(([k, v]) => `${k} ${v}`).join(', ')})`);
console.log(`  baseline p50 ${f(pct(base, 50))} ms  p99 ${f(pct(base, 99))} ms  max ${f(pct(base, 100))} ms  rms of rmse ${f(Math.sqrt(baseRmse / n))} vol pt (5-D Nelder-Mead)`);
console.log(`  ratio baseline/svi-qe: p50 ${(pct(base, 50) / pct(qe, 50)).toFixed(1)}x  p99 ${(pct(base, 99) / pct(qe, 99)).toFixed(1)}x`);
console.log(`13-expiry surface (incl. calendar check/repair and final verification)`);
console.log(`  svi-qe   p50 ${f(pct(surf, 50))} ms  p99 ${f(pct(surf, 99))} ms  CPU time p50 ${f(pct(surfCpu, 50))} ms  p99 ${f(pct(surfCpu, 99))} ms  (${refits} calendar refits in ${SURFACES} surfaces)`);
console.log(`  svi-qe   per-surface median of ${ROUNDS} runs: p50 ${f(pct(surfMedian, 50))} ms  p99 ${f(pct(surfMedian, 99))} ms  max ${f(pct(surfMedian, 100))} ms`);
console.log(`  essvi    p50 ${f(pct(surfE, 50))} ms  p99 ${f(pct(surfE, 99))} ms`);
console.log(`  baseline p50 ${f(pct(baseSurf, 50))} ms  p99 ${f(pct(baseSurf, 99))} ms (sum of 13 per-expiry baseline fits, no calendar stage)`);
console.log(`  ratio baseline/svi-qe surface p50 ${(pct(baseSurf, 50) / pct(surf, 50)).toFixed(1)}x`);
const load = (await import('node:os')).loadavg()[0] ?? 0;
console.log(`aims (wall time): per-expiry p99 < 2 ms: ${pct(qe, 99) < 2 ? 'met' : 'NOT met'} (CPU ${pct(qeCpu, 99) < 2 ? 'met' : 'NOT met'}); 13-expiry surface < 20 ms: p50 ${pct(surf, 50) < 20 ? 'met' : 'NOT met'}, p99 ${pct(surf, 99) < 20 ? 'met' : 'NOT met'} (CPU p99 ${pct(surfCpu, 99) < 20 ? 'met' : 'NOT met'}, per-surface-median p99 ${pct(surfMedian, 99) < 20 ? 'met' : 'NOT met'}); 1-min load average ${load.toFixed(2)}`);
