import { compact, deltaLabel, volPct } from './format.js';

/* global uPlot */

// One uPlot per expiry. The server sends the fitted curve on a grid (k, strike, iv, call delta)
// and every quote with its fitted vol, call delta and why it is left out of the fit, so the page
// only picks the x column: strike, log-moneyness k = ln(K/F), or delta shown as 1 − Δcall
// (put deltas on the left, call deltas on the right, like strikes).

export const X_MODES = {
  strike: { label: 'strike', of: (p) => p.strike, fmt: (v) => compact(v) },
  k: { label: 'log-moneyness ln(K/F)', of: (p) => p.k, fmt: (v) => v.toFixed(2) },
  delta: { label: 'delta (put ← ATM → call)', of: (p) => (p.callDelta === null || p.callDelta === undefined ? null : 1 - p.callDelta), fmt: deltaLabel },
};

const DELTA_SPLITS = [0.1, 0.25, 0.5, 0.75, 0.9];

/**
 * Chart columns of one expiry for an x mode: [x, fit, bid, ask, left out] and the reason of each
 * left-out point. Quotes shown are the out-of-the-money ones (what the fit uses); in-the-money
 * quotes are only counted.
 * @param {any} e expiry of a LiveSurface (fit fields, `curve`, `quotes`)
 * @param {'strike'|'k'|'delta'} mode
 */
export function smileData(e, mode) {
  const X = X_MODES[mode].of;
  /** @type {{x: number, fit: number|null, bid: number|null, ask: number|null, out: number|null, why: string|null}[]} */
  const rows = [];
  const c = e.curve;
  if (c) {
    for (let i = 0; i < c.k.length; i++) {
      const x = X({ k: c.k[i], strike: c.strike[i], callDelta: c.callDelta[i] });
      if (x !== null && Number.isFinite(x)) rows.push({ x, fit: c.iv[i], bid: null, ask: null, out: null, why: null });
    }
  }
  let used = 0;
  let out = 0;
  let itm = 0;
  for (const q of e.quotes ?? []) {
    if (q.excluded === 'itm') { itm++; continue; }
    const x = X(q);
    if (x === null || !Number.isFinite(x)) continue;
    if (q.excluded === null) {
      if (q.bidIv === null && q.askIv === null) continue;
      used++;
      rows.push({ x, fit: null, bid: q.bidIv, ask: q.askIv, out: null, why: null });
    } else {
      const v = q.midIv ?? q.bidIv ?? q.askIv ?? q.markIv;
      out++;
      if (v !== null) rows.push({ x, fit: null, bid: null, ask: null, out: v, why: q.excluded });
    }
  }
  rows.sort((a, b) => a.x - b.x);

  // Scale on the fit and the quotes near it: a dead ask at 500% must not flatten the smile.
  const fits = rows.map((r) => r.fit).filter((v) => v !== null);
  const fMin = fits.length ? Math.min(...fits) : 0.3;
  const fMax = fits.length ? Math.max(...fits) : 1;
  const near = rows.flatMap((r) => [r.bid, r.ask, r.out]).filter((v) => v !== null && v > fMin * 0.6 && v < fMax * 1.5);
  const yMin = Math.min(fMin, ...near);
  const yMax = Math.max(fMax, ...near);
  const yPad = (yMax - yMin) * 0.08 || 0.01;
  return {
    data: [rows.map((r) => r.x), rows.map((r) => r.fit), rows.map((r) => r.bid), rows.map((r) => r.ask), rows.map((r) => r.out)],
    why: rows.map((r) => r.why),
    y: [Math.max(0, yMin - yPad), yMax + yPad],
    counts: { used, out, itm },
  };
}

export class SmileChart {
  /**
   * @param {HTMLElement} parent
   * @param {string} key expiry key (YYYYMMDD)
   */
  constructor(parent, key) {
    this.key = key;
    this.el = document.createElement('div');
    this.el.className = 'chart';
    this.el.dataset.expiry = key;
    parent.appendChild(this.el);
    this.mode = null;
    this.u = null;
    this.y = [0, 1];
    this.why = [];
    /** Latest expiry data not drawn yet (drawn when visible). */
    this.pending = null;
    this.title = '';
    this.visible = true;
  }

  build(mode) {
    this.u?.destroy();
    this.mode = mode;
    const self = this;
    const X = X_MODES[mode];
    const pct = (u, v) => volPct(v);
    this.u = new uPlot({
      title: this.title,
      width: this.width(),
      height: 240,
      scales: {
        x: { time: false, ...(mode === 'delta' ? { range: () => [0, 1] } : {}) },
        y: { range: () => self.y },
      },
      axes: [
        { label: X.label, size: 40, labelSize: 16, values: (u, ticks) => ticks.map((v) => X.fmt(v)), ...(mode === 'delta' ? { splits: () => DELTA_SPLITS } : {}) },
        { label: 'implied vol', size: 48, labelSize: 16, values: (u, ticks) => ticks.map((v) => `${(v * 100).toFixed(0)}%`) },
      ],
      series: [
        { label: mode === 'delta' ? 'Δ' : mode === 'k' ? 'k' : 'K', value: (u, v) => (v === null || v === undefined ? '–' : X.fmt(v)) },
        { label: 'fit', stroke: '#2563eb', width: 2, spanGaps: true, points: { show: false }, value: pct },
        { label: 'bid', stroke: '#059669', paths: () => null, points: { show: true, size: 5, fill: '#059669' }, value: pct },
        { label: 'ask', stroke: '#dc2626', paths: () => null, points: { show: true, size: 5, fill: '#dc2626' }, value: pct },
        {
          label: 'left out', stroke: '#9ca3af', paths: () => null, points: { show: true, size: 7, width: 1.5, fill: '#ffffff' },
          value: (u, v, si, i) => (v === null || v === undefined ? '–' : `${volPct(v)} ${self.why[i] ?? ''}`),
        },
      ],
      legend: { live: true },
      cursor: { points: { size: 6 } },
    }, [[], [], [], [], []], this.el);
  }

  width() {
    return Math.max(300, this.el.clientWidth - 8);
  }

  setTitle(title) {
    this.title = title;
    const t = this.el.querySelector('.u-title');
    if (t) t.textContent = title;
  }

  /** Keep the latest data; draw now if visible, else when it scrolls into view. */
  update(expiry, mode) {
    this.pending = { expiry, mode };
    if (this.visible) this.draw();
  }

  draw() {
    if (!this.pending) return;
    const { expiry, mode } = this.pending;
    this.pending = null;
    if (mode !== this.mode) this.build(mode);
    const d = smileData(expiry, mode);
    this.y = d.y;
    this.why = d.why;
    this.counts = d.counts;
    this.u.setData(d.data, true);
  }

  setVisible(v) {
    this.visible = v;
    if (v) this.draw();
  }

  resize() {
    this.u?.setSize({ width: this.width(), height: 240 });
  }

  destroy() {
    this.u?.destroy();
    this.el.remove();
  }
}
