// Raw SVI in the browser. Same formula as libs/svi sviImpliedVol (kept as plain JS: the page is
// served without a bundler).

/**
 * Implied vol of a raw SVI slice at log-moneyness k: σ(k) = √(w(k)/t), with
 * w(k) = a + b(ρ(k − m) + √((k − m)² + σ²)) in total variance (Gatheral 2004).
 * @param {{a:number,b:number,rho:number,m:number,sigma:number}} p
 * @param {number} k ln(K/F)
 * @param {number} t years to expiry
 * @returns {number} vol as a fraction, NaN where w < 0
 */
export function sviVol(p, k, t) {
  const x = k - p.m;
  const w = p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
  return w >= 0 && t > 0 ? Math.sqrt(w / t) : NaN;
}
