import { sviVol } from './svi.js';

/* global uPlot */

const GRID = 81;

/**
 * Chart data of one expiry: x is log-moneyness, the fit on a grid plus at every quote, and
 * bid/ask IV markers of the out-of-the-money quotes (puts below the forward, calls above),
 * the ones a desk reads a smile from.
 * @param {any} e expiry of a LiveSurface (fit fields plus `quotes`)
 */
export function smileData(e) {
  const quotes = (e.quotes ?? []).filter((q) => (q.k < 0 ? q.optionType === 'put' : q.optionType === 'call') && (q.bidIv !== null || q.askIv !== null));
  const sd = e.atmVol * Math.sqrt(e.t);
  let lo = -2.5 * sd;
  let hi = 2.5 * sd;
  if (quotes.length > 1) {
    lo = Math.min(...quotes.map((q) => q.k));
    hi = Math.max(...quotes.map((q) => q.k));
  }
  const pad = (hi - lo) * 0.06 || 0.05;
  lo -= pad;
  hi += pad;

  /** @type {Map<number, {bid: number|null, ask: number|null}>} */
  const points = new Map();
  for (let i = 0; i < GRID; i++) points.set(lo + ((hi - lo) * i) / (GRID - 1), { bid: null, ask: null });
  for (const q of quotes) points.set(q.k, { bid: q.bidIv, ask: q.askIv });
  const xs = [...points.keys()].sort((a, b) => a - b);
  const fit = xs.map((k) => {
    const v = sviVol(e.params, k, e.t);
    return Number.isFinite(v) ? v : null;
  });
  const bid = xs.map((k) => points.get(k).bid);
  const ask = xs.map((k) => points.get(k).ask);

  // Scale on the fit and the quotes near it: a dead ask at 500% must not flatten the smile.
  const fitVals = fit.filter((v) => v !== null);
  const fMin = Math.min(...fitVals);
  const fMax = Math.max(...fitVals);
  const near = [...bid, ...ask].filter((v) => v !== null && v > fMin * 0.6 && v < fMax * 1.5);
  const yMin = Math.min(fMin, ...near);
  const yMax = Math.max(fMax, ...near);
  const yPad = (yMax - yMin) * 0.08 || 0.01;
  return { data: [xs, fit, bid, ask], y: [Math.max(0, yMin - yPad), yMax + yPad], quotes: quotes.length };
}

const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);

/** One uPlot per expiry, updated in place. */
export class SmileChart {
  /**
   * @param {HTMLElement} parent
   * @param {string} title
   */
  constructor(parent, title) {
    this.el = document.createElement('div');
    this.el.className = 'chart';
    parent.appendChild(this.el);
    this.y = [0, 1];
    const self = this;
    this.u = new uPlot({
      title,
      width: this.width(),
      height: 250,
      scales: { x: { time: false }, y: { range: () => self.y } },
      axes: [
        { label: 'log-moneyness ln(K/F)', size: 44, values: (u, ticks) => ticks.map((v) => v.toFixed(2)) },
        { label: 'implied vol', size: 52, values: (u, ticks) => ticks.map((v) => `${(v * 100).toFixed(0)}%`) },
      ],
      series: [
        { label: 'k', value: (u, v) => (v === null ? '–' : v.toFixed(3)) },
        { label: 'SVI fit', stroke: '#2563eb', width: 2, spanGaps: true, points: { show: false }, value: (u, v) => pct(v) },
        { label: 'bid', stroke: '#059669', fill: undefined, paths: () => null, points: { show: true, size: 6, fill: '#059669' }, value: (u, v) => pct(v) },
        { label: 'ask', stroke: '#dc2626', paths: () => null, points: { show: true, size: 6, fill: '#dc2626' }, value: (u, v) => pct(v) },
      ],
      legend: { live: true },
    }, [[], [], [], []], this.el);
  }

  width() {
    return Math.max(300, this.el.clientWidth - 8);
  }

  setTitle(title) {
    const t = this.el.querySelector('.u-title');
    if (t) t.textContent = title;
  }

  /** @param {any} expiry */
  update(expiry) {
    const { data, y } = smileData(expiry);
    this.y = y;
    this.u.setData(data, true);
  }

  resize() {
    this.u.setSize({ width: this.width(), height: 250 });
  }

  destroy() {
    this.u.destroy();
    this.el.remove();
  }
}
