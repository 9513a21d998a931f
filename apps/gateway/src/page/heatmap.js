import { day, deltaLabel, volPct } from './format.js';

// The surface as a heatmap on a canvas: one row per expiry (nearest on top), one column per
// delta of the server's grid (5Δ put on the left … 5Δ call on the right), colour = fitted vol.

/** Viridis, sampled at 9 points (matplotlib's colormap, CC0). */
const STOPS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];

function colour(f) {
  const x = Math.min(1, Math.max(0, f)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const t = x - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [0, 1, 2].map((j) => Math.round(a[j] + (b[j] - a[j]) * t));
}

export class Heatmap {
  /** @param {HTMLElement} box */
  constructor(box) {
    this.box = box;
    this.canvas = box.querySelector('canvas');
    this.surface = null;
  }

  update(s) {
    this.surface = s;
  }

  draw() {
    const s = this.surface;
    const cv = this.canvas;
    const dpr = window.devicePixelRatio || 1;
    const W = this.box.clientWidth;
    const H = this.box.clientHeight;
    if (cv.width !== Math.round(W * dpr) || cv.height !== Math.round(H * dpr)) {
      cv.width = Math.round(W * dpr);
      cv.height = Math.round(H * dpr);
    }
    const g = cv.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W, H);
    if (!s || !s.deltaGrid || s.expiries.length === 0) return;
    const grid = s.deltaGrid;
    const rows = s.expiries;
    const left = 92;
    const top = 8;
    const right = 56;
    const bottom = 28;
    const cw = (W - left - right) / grid.length;
    const ch = (H - top - bottom) / rows.length;
    let lo = Infinity;
    let hi = -Infinity;
    for (const e of rows) for (const v of e.deltaVols ?? []) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!Number.isFinite(lo)) return;
    const span = hi - lo || 0.01;
    g.font = `${cw >= 28 ? 11 : 10}px system-ui, sans-serif`;
    g.textBaseline = 'middle';
    rows.forEach((e, r) => {
      const y = top + r * ch;
      g.fillStyle = '#1f2430';
      g.textAlign = 'right';
      const d = (e.expiryTs - s.ts) / 86_400_000;
      g.fillText(`${day(e.expiryTs)} ${d < 10 ? d.toFixed(1) : d.toFixed(0)}d`, left - 6, y + ch / 2);
      (e.deltaVols ?? []).forEach((v, c) => {
        const x = left + c * cw;
        if (v === null) {
          g.fillStyle = '#eef0f3';
          g.fillRect(x, y, cw - 1, ch - 1);
          return;
        }
        const f = (v - lo) / span;
        const [R, G, B] = colour(f);
        g.fillStyle = `rgb(${R},${G},${B})`;
        g.fillRect(x, y, cw - 1, ch - 1);
        if (cw >= 22 && ch >= 13) {
          g.fillStyle = f > 0.6 ? '#1f2430' : '#ffffff';
          g.textAlign = 'center';
          g.fillText((v * 100).toFixed(0), x + cw / 2, y + ch / 2);
        }
      });
    });
    // Delta axis (1 − call delta runs left to right).
    g.fillStyle = '#6b7280';
    g.textAlign = 'center';
    grid.forEach((cd, c) => {
      const x = 1 - cd;
      if ([0.1, 0.25, 0.5, 0.75, 0.9].some((t) => Math.abs(t - x) < 1e-6)) g.fillText(deltaLabel(x), left + c * cw + cw / 2, H - bottom / 2);
    });
    // Colour bar.
    const bx = W - right + 14;
    const bh = H - top - bottom;
    for (let i = 0; i < bh; i++) {
      const [R, G, B] = colour(1 - i / bh);
      g.fillStyle = `rgb(${R},${G},${B})`;
      g.fillRect(bx, top + i, 10, 1);
    }
    g.fillStyle = '#6b7280';
    g.textAlign = 'left';
    g.fillText(volPct(hi, 0), bx + 13, top + 6);
    g.fillText(volPct(lo, 0), bx + 13, top + bh - 6);
  }
}
