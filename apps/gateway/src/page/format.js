// Number and time formatting shared by the page's modules. Vols arrive as fractions.

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** 0.5523 -> "55.2%" */
export const volPct = (v, d = 1) => (isNum(v) ? `${(v * 100).toFixed(d)}%` : '–');
/** 0.0123 -> "1.23" (vol points) */
export const volPts = (v, d = 2) => (isNum(v) ? (v * 100).toFixed(d) : '–');
export const num = (v, d) => (isNum(v) ? v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '–');
/** 95000 -> "95k", 3250 -> "3,250" */
export const compact = (v) => (!isNum(v) ? '–' : Math.abs(v) >= 10_000 ? `${+(v / 1000).toFixed(1)}k` : v.toLocaleString('en-US', { maximumFractionDigits: 2 }));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const day = (ts) => { const d = new Date(ts); return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).slice(2)}`; };
export const clock = (ts) => new Date(ts).toISOString().slice(11, 19);
export const days = (n) => (!isNum(n) ? '–' : n < 2 ? n.toFixed(2) : n < 10 ? n.toFixed(1) : n.toFixed(0));
/** Age in ms -> "4 s", "3 min", "2 h" */
export const age = (ms) => (!isNum(ms) ? '–' : ms < 90_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : ms < 5_400_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`);

/** Delta axis label for x = 1 − callDelta: 0.25 -> "25P", 0.5 -> "50Δ", 0.75 -> "25C". */
export const deltaLabel = (x) => {
  if (!isNum(x)) return '';
  if (Math.abs(x - 0.5) < 1e-9) return '50Δ';
  return x < 0.5 ? `${Math.round(x * 100)}P` : `${Math.round((1 - x) * 100)}C`;
};

/** Replace a table body's rows, flashing cells whose text changed since the last render. */
export function fillRows(tbody, memo, rows) {
  const trs = rows.map((row) => {
    const tr = document.createElement('tr');
    tr.dataset.key = row.key;
    for (const [cls, text, extra] of row.cells) {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = text;
      if (extra) td.classList.add(extra);
      if (text.startsWith('-')) td.classList.add('neg');
      if (extra === 'title') td.title = text;
      const k = `${row.key}:${cls}`;
      const before = memo.get(k);
      if (before !== undefined && before !== text) td.classList.add('changed');
      memo.set(k, text);
      tr.appendChild(td);
    }
    return tr;
  });
  tbody.replaceChildren(...trs);
}
