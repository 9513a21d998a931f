import { days as fmtDays, volPct, volPts } from './format.js';

/* global uPlot */

// Term structure, risk reversal / butterfly by expiry, and the 30-day history: uPlot charts
// built once and fed with setData.

const DAY = 86_400_000;

/** Rows with one x column and several series, merged on equal x (null where a series has no point). */
function merge(xs, series) {
  const map = new Map();
  series.forEach((pts, si) => {
    for (const [x, y] of pts) {
      if (!Number.isFinite(x) || x <= 0) continue;
      let row = map.get(x);
      if (!row) map.set(x, (row = new Array(series.length).fill(null)));
      row[si] = y;
    }
  });
  const keys = [...map.keys()].sort((a, b) => a - b);
  return [keys, ...series.map((_, si) => keys.map((k) => map.get(k)[si]))];
}

class BaseChart {
  constructor(el, height) {
    this.el = el;
    this.height = height;
    this.u = null;
  }
  width() {
    return Math.max(280, this.el.clientWidth - 4);
  }
  resize() {
    this.u?.setSize({ width: this.width(), height: this.height });
  }
}

/** Log-axis labels at 1, 2, 5 × 10ⁿ only (uPlot offers a tick per integer multiple). */
const daysAxis = {
  label: 'days to expiry', size: 36, labelSize: 14,
  values: (u, ticks) => ticks.map((v) => {
    if (v === null || !(v > 0)) return '';
    const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
    return [1, 2, 5].some((x) => Math.abs(m - x) < 1e-6) ? (v < 1 ? String(+v.toFixed(2)) : String(Math.round(v))) : '';
  }),
};
/** Log scale over the data, padded so end points are not on the frame. */
const logDays = { time: false, distr: 3, log: 10, range: (u, lo, hi) => [Math.max(0.05, (lo ?? 1) / 1.4), (hi ?? 365) * 1.4] };

/** ATM vol per expiry against days (log axis), fixed tenors and the 30-day index as markers. */
export class TermChart extends BaseChart {
  constructor(el) {
    super(el, 210);
    this.u = new uPlot({
      width: this.width(), height: this.height,
      scales: { x: logDays },
      axes: [daysAxis, { size: 58, values: (u, t) => t.map((v) => `${(v * 100).toFixed(1)}%`) }],
      series: [
        { label: 'days', value: (u, v) => fmtDays(v) },
        { label: 'ATM by expiry', stroke: '#2563eb', width: 2, spanGaps: true, points: { show: true, size: 6, fill: '#2563eb' }, value: (u, v) => volPct(v) },
        { label: 'fixed tenors', stroke: '#ea580c', paths: () => null, points: { show: true, size: 9, fill: '#fff', width: 2 }, value: (u, v) => volPct(v) },
        { label: '30d index', stroke: '#7c3aed', paths: () => null, points: { show: true, size: 10, fill: '#7c3aed' }, value: (u, v) => volPct(v) },
      ],
    }, [[], [], [], []], el);
  }
  update(s) {
    const dts = (e) => (e.expiryTs - s.ts) / DAY;
    this.u.setData(merge(null, [
      s.expiries.map((e) => [dts(e), e.atmVol]),
      (s.tenors ?? []).filter((t) => t.atmVol !== null).map((t) => [t.days, t.atmVol]),
      s.index30d === null || s.index30d === undefined ? [] : [[30, s.index30d]],
    ]));
  }
}

/** 25Δ and 10Δ risk reversals and butterflies per expiry against days (log axis). */
export class RrBfChart extends BaseChart {
  constructor(el) {
    super(el, 210);
    const pts = (u, v) => volPts(v);
    const line = (label, stroke, dash) => ({ label, stroke, width: 2, spanGaps: true, dash, points: { show: true, size: 4, fill: stroke }, value: pts });
    this.u = new uPlot({
      width: this.width(), height: this.height,
      scales: { x: logDays },
      axes: [daysAxis, { size: 46, values: (u, t) => t.map((v) => (v * 100).toFixed(1)) }],
      series: [
        { label: 'days', value: (u, v) => fmtDays(v) },
        line('RR25', '#dc2626', undefined),
        line('RR10', '#f87171', [5, 3]),
        line('BF25', '#059669', undefined),
        line('BF10', '#34d399', [5, 3]),
      ],
    }, [[], [], [], [], []], el);
  }
  update(s) {
    const dts = (e) => (e.expiryTs - s.ts) / DAY;
    this.u.setData(merge(null, [
      s.expiries.map((e) => [dts(e), e.rr25]),
      s.expiries.map((e) => [dts(e), e.rr10]),
      s.expiries.map((e) => [dts(e), e.bf25]),
      s.expiries.map((e) => [dts(e), e.bf10]),
    ]));
  }
}

/** 30-day ATM, index, RR25 and BF25 over time: history from the API, then every live surface. */
export class HistoryChart extends BaseChart {
  constructor(el) {
    super(el, 390);
    this.points = [];
    this.max = 3_000;
    const pct = (u, v) => volPct(v);
    const pts = (u, v) => volPts(v);
    this.u = new uPlot({
      width: this.width(), height: this.height,
      scales: { x: { time: true }, vol: { auto: true }, wing: { auto: true } },
      axes: [
        { size: 30 },
        { scale: 'vol', size: 56, values: (u, t) => t.map((v) => `${(v * 100).toFixed(1)}%`) },
        { scale: 'wing', side: 1, size: 46, grid: { show: false }, values: (u, t) => t.map((v) => (v * 100).toFixed(1)) },
      ],
      series: [
        {},
        { label: '30d ATM', scale: 'vol', stroke: '#2563eb', width: 2, spanGaps: true, value: pct },
        { label: '30d index', scale: 'vol', stroke: '#7c3aed', width: 1.5, spanGaps: true, value: pct },
        { label: '30d RR25', scale: 'wing', stroke: '#dc2626', width: 1.5, spanGaps: true, value: pts },
        { label: '30d BF25', scale: 'wing', stroke: '#059669', width: 1.5, spanGaps: true, value: pts },
      ],
    }, [[], [], [], [], []], el);
  }
  /** Replace the series with history points (API shape: ts, index30d, tenors). */
  reset(points) {
    this.points = points.map(pointOf).filter(Boolean);
    this.dirty = true;
  }
  /** Append a live surface (ignored if not newer than the last point). */
  push(s) {
    const p = pointOf(s);
    if (!p) return;
    const last = this.points[this.points.length - 1];
    if (last && p.ts <= last.ts) return;
    this.points.push(p);
    if (this.points.length > this.max) this.points.splice(0, this.points.length - this.max);
    this.dirty = true;
  }
  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const p = this.points;
    this.u.setData([p.map((x) => x.ts / 1000), p.map((x) => x.atm), p.map((x) => x.index), p.map((x) => x.rr), p.map((x) => x.bf)]);
  }
}

function pointOf(s) {
  const t30 = (s.tenors ?? []).find((t) => t.days === 30);
  if (!t30 && (s.index30d === null || s.index30d === undefined)) return null;
  return { ts: s.ts, atm: t30?.atmVol ?? null, index: s.index30d ?? null, rr: t30?.rr25 ?? null, bf: t30?.bf25 ?? null };
}
