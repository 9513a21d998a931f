import { SmileChart } from './chart.js';

// Live smiles: one websocket subscription to the `surface` channel of the selected underlying
// (protocol in src/ws/protocol.ts), a table of desk metrics and one chart per expiry.

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const els = {
  underlying: /** @type {HTMLSelectElement} */ ($('underlying')),
  venue: /** @type {HTMLSelectElement} */ ($('venue')),
  conn: $('conn'),
  meta: $('meta'),
  summary: $('summary'),
  tbody: /** @type {HTMLTableSectionElement} */ (document.querySelector('#expiries tbody')),
  empty: $('empty'),
  charts: $('charts'),
};

const state = {
  /** @type {WebSocket | null} */ ws: null,
  /** @type {{underlying: string, venue: string | null} | null} */ sub: null,
  /** @type {any} */ underlyings: [],
  backoffMs: 500,
  heartbeatMs: 15_000,
  lastMessageAt: 0,
  /** seq of the last snapshot/update, to count gaps (updates skipped while we were slow). */
  lastSeq: 0,
  gaps: 0,
  /** @type {Map<string, SmileChart>} */ charts: new Map(),
  /** @type {Map<string, string>} cell text by expiry and column, to flash what changed */ cells: new Map(),
};

// ---------- formatting ----------
const volPct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const volPts = (v) => (v === null || v === undefined ? '–' : (v * 100).toFixed(2));
const num = (v, d) => (v === null || v === undefined ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const day = (ts) => { const d = new Date(ts); return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`; };
const clock = (ts) => new Date(ts).toISOString().slice(11, 19) + ' UTC';

// ---------- selection ----------
function readHash() {
  const [u, v] = decodeURIComponent(location.hash.slice(1)).split('@');
  return { underlying: u || null, venue: v || null };
}

function writeHash(sel) {
  const h = `#${sel.underlying}${sel.venue ? `@${sel.venue}` : ''}`;
  if (location.hash !== h) history.replaceState(null, '', h);
}

function selection() {
  return { underlying: els.underlying.value, venue: els.venue.value || null };
}

function fillSelect(select, values, labels, chosen) {
  const same = select.options.length === values.length && values.every((v, i) => select.options[i].value === v);
  if (!same) {
    select.replaceChildren(...values.map((v, i) => new Option(labels[i], v)));
  }
  if (chosen !== undefined && values.includes(chosen)) select.value = chosen;
}

async function loadUnderlyings() {
  try {
    const res = await fetch('/api/v1/underlyings');
    if (!res.ok) return;
    state.underlyings = (await res.json()).underlyings;
  } catch {
    return; // the gateway is restarting; the websocket reconnect will call again
  }
  const want = state.sub?.underlying ?? readHash().underlying ?? els.underlying.value;
  const names = state.underlyings.map((u) => u.underlying);
  fillSelect(els.underlying, names, names, names.includes(want) ? want : names[0]);
  fillVenues(state.sub?.venue ?? readHash().venue ?? '');
  els.empty.hidden = names.length > 0;
  if (!state.sub && names.length > 0) changeSubscription();
}

function fillVenues(chosen) {
  const u = state.underlyings.find((x) => x.underlying === els.underlying.value);
  const venues = u ? u.venues.map((v) => v.venue) : [];
  fillSelect(els.venue, ['', ...venues], [`auto${u ? ` (${u.defaultVenue})` : ''}`, ...venues], chosen);
}

// ---------- websocket ----------
function send(msg) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(msg));
}

function subscribeMsg(op, sub) {
  return { op, channel: 'surface', underlying: sub.underlying, ...(sub.venue ? { venue: sub.venue } : {}) };
}

function changeSubscription() {
  const next = selection();
  if (!next.underlying) return;
  if (state.sub && state.sub.underlying === next.underlying && state.sub.venue === next.venue) return;
  if (state.sub) send(subscribeMsg('unsubscribe', state.sub));
  state.sub = next;
  state.lastSeq = 0;
  writeHash(next);
  clearView();
  send(subscribeMsg('subscribe', next));
}

function connect() {
  setConn(false, 'connecting…');
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  state.ws = ws;
  ws.onopen = () => {
    state.backoffMs = 500;
    state.lastMessageAt = Date.now();
    setConn(true, 'live');
    if (state.sub) send(subscribeMsg('subscribe', state.sub));
    void loadUnderlyings();
  };
  ws.onmessage = (ev) => {
    state.lastMessageAt = Date.now();
    onMessage(JSON.parse(ev.data));
  };
  ws.onclose = () => {
    if (state.ws !== ws) return;
    state.ws = null;
    setConn(false, 'reconnecting…');
    setTimeout(connect, state.backoffMs);
    state.backoffMs = Math.min(state.backoffMs * 2, 5_000);
  };
}

// A half-open connection (laptop sleep, dropped route) never closes by itself: the server
// sends a heartbeat, so silence means the link is dead.
setInterval(() => {
  if (state.ws && state.ws.readyState === WebSocket.OPEN && Date.now() - state.lastMessageAt > 3 * state.heartbeatMs) state.ws.close();
}, 1_000);

function onMessage(msg) {
  switch (msg.type) {
    case 'hello':
      state.heartbeatMs = msg.heartbeatMs;
      break;
    case 'snapshot':
    case 'update': {
      const sub = state.sub;
      if (!sub || msg.underlying !== sub.underlying || (sub.venue && msg.venue !== sub.venue)) return; // from a previous subscription
      if (msg.type === 'update' && state.lastSeq && msg.seq !== state.lastSeq + 1) state.gaps++;
      state.lastSeq = msg.seq;
      render(msg.data, msg.type);
      break;
    }
    case 'error':
      console.warn('gateway:', msg.message);
      break;
    default:
      break;
  }
}

function setConn(live, text) {
  els.conn.textContent = text;
  els.conn.className = `pill ${live ? 'pill-live' : 'pill-wait'}`;
}

// ---------- rendering ----------
function clearView() {
  for (const c of state.charts.values()) c.destroy();
  state.charts.clear();
  state.cells.clear();
  els.tbody.replaceChildren();
  els.summary.textContent = '';
}

/** @param {any} s a LiveSurface */
function render(s, kind) {
  els.empty.hidden = true;
  if (kind === 'snapshot') fillVenues(state.sub?.venue ?? '');
  const tenor30 = s.tenors?.find((t) => t.days === 30);
  els.summary.innerHTML = '';
  const parts = [
    ['Venue', s.venue],
    ['Fit', clock(s.ts)],
    ['30d ATM', volPct(tenor30?.atmVol)],
    ['30d index', volPct(s.index30d)],
    ['Fitter', `${s.fitter.name} v${s.fitter.version}`],
  ];
  for (const [k, v] of parts) {
    const span = document.createElement('span');
    span.innerHTML = `${k} <b></b> &nbsp; `;
    /** @type {HTMLElement} */ (span.querySelector('b')).textContent = v;
    els.summary.appendChild(span);
  }
  els.meta.textContent = `seq ${s.seq}${state.gaps ? ` · ${state.gaps} skipped` : ''} · updated ${clock(Date.now())}`;
  renderTable(s);
  renderCharts(s);
}

function renderTable(s) {
  const rows = s.expiries.map((e) => {
    const days = (e.expiryTs - s.ts) / 86_400_000;
    const cols = [
      ['expiry l', day(e.expiryTs)],
      ['days', days < 2 ? days.toFixed(2) : days.toFixed(0)],
      ['fwd', num(e.forward, e.forward > 1000 ? 0 : 2)],
      ['atm', volPct(e.atmVol)],
      ['rr25', volPts(e.rr25)],
      ['bf25', volPts(e.bf25)],
      ['rr10', volPts(e.rr10)],
      ['bf10', volPts(e.bf10)],
      ['rmse', num(e.rmse, 2)],
      ['inspread', volPct(e.inSpread).replace(/\.\d%$/, '%')],
      ['points', String(e.points)],
    ];
    const tr = document.createElement('tr');
    tr.dataset.expiry = e.key;
    for (const [cls, text] of cols) {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = text;
      if (text.startsWith('-')) td.classList.add('neg');
      const cellKey = `${e.key}:${cls}`;
      const before = state.cells.get(cellKey);
      if (before !== undefined && before !== text) td.classList.add('changed');
      state.cells.set(cellKey, text);
      tr.appendChild(td);
    }
    return tr;
  });
  els.tbody.replaceChildren(...rows);
}

function renderCharts(s) {
  const keep = new Set();
  for (const e of s.expiries) {
    keep.add(e.key);
    const days = Math.max(0, (e.expiryTs - s.ts) / 86_400_000);
    const title = `${day(e.expiryTs)} · ${days < 2 ? days.toFixed(1) : days.toFixed(0)}d · ATM ${volPct(e.atmVol)}`;
    let chart = state.charts.get(e.key);
    if (!chart) {
      chart = new SmileChart(els.charts, title);
      state.charts.set(e.key, chart);
    } else chart.setTitle(title);
    chart.update(e);
  }
  for (const [key, chart] of state.charts) {
    if (!keep.has(key)) {
      chart.destroy();
      state.charts.delete(key);
    }
  }
  // Keep chart order = expiry order after a new expiry appears.
  for (const e of s.expiries) els.charts.appendChild(state.charts.get(e.key).el);
}

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { for (const c of state.charts.values()) c.resize(); }, 100);
});

els.underlying.addEventListener('change', () => { fillVenues(''); changeSubscription(); });
els.venue.addEventListener('change', () => changeSubscription());
window.addEventListener('hashchange', () => {
  const h = readHash();
  if (!h.underlying) return;
  fillSelect(els.underlying, [...els.underlying.options].map((o) => o.value), [...els.underlying.options].map((o) => o.text), h.underlying);
  fillVenues(h.venue ?? '');
  changeSubscription();
});

// Poll the list of underlyings (new ones appear as the pipeline starts fitting them); often
// while there is none yet.
async function pollUnderlyings() {
  await loadUnderlyings();
  setTimeout(pollUnderlyings, state.underlyings.length ? 15_000 : 2_000);
}
connect();
void pollUnderlyings();
