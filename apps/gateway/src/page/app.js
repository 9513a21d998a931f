import { NeedKeyError, getJson, setApiKey, wsUrl } from './api.js';
import { HistoryChart, RrBfChart, TermChart } from './charts.js';
import { renderEvents, renderFit, renderPipeline, renderQuotes } from './diagnostics.js';
import { age, compact, day, days as fmtDays, fillRows, num, volPct, volPts } from './format.js';
import { Heatmap } from './heatmap.js';
import { SmileChart } from './smile.js';

// The live dashboard: one websocket subscription to the `surface` channel of the selected
// underlying and venue (protocol in src/ws/protocol.ts); every panel is drawn from the latest
// surface on the next animation frame, so bursts of updates cost one render (latest wins).

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const els = {
  underlying: /** @type {HTMLSelectElement} */ ($('underlying')),
  venue: /** @type {HTMLSelectElement} */ ($('venue')),
  xaxis: $('xaxis'),
  conn: $('conn'),
  meta: $('meta'),
  keybar: $('keybar'),
  apikey: /** @type {HTMLInputElement} */ ($('apikey')),
  cards: $('cards'),
  tbody: /** @type {HTMLTableSectionElement} */ (document.querySelector('#expiries tbody')),
  tenors: /** @type {HTMLTableSectionElement} */ (document.querySelector('#tenors tbody')),
  empty: $('empty'),
  charts: $('charts'),
  diagFit: $('diag-fit'),
  diagQuotes: $('diag-quotes'),
  diagPipe: $('diag-pipe'),
  lag: /** @type {HTMLTableSectionElement} */ (document.querySelector('#lag tbody')),
  events: $('events'),
};

const state = {
  /** @type {WebSocket | null} */ ws: null,
  /** @type {{underlying: string, venue: string | null} | null} */ sub: null,
  /** @type {any[]} */ underlyings: [],
  backoffMs: 500,
  heartbeatMs: 15_000,
  lastMessageAt: 0,
  /** seq of the last snapshot/update, to count skipped states (conflated while we were slow). */
  lastSeq: 0,
  gaps: 0,
  /** @type {any} latest surface received */ surface: null,
  /** @type {any} latest /health */ health: null,
  xMode: localStorage.getItem('volstream.xMode') || 'k',
  /** @type {Map<string, SmileChart>} */ charts: new Map(),
  cells: new Map(),
  tenorCells: new Map(),
  frame: 0,
  arrivals: /** @type {number[]} */ ([]),
};

/** Render timings, read by the browser test. */
const perf = { renders: 0, lastMs: 0, maxMs: 0, updates: 0 };
window.__volstream = perf;

const term = new TermChart($('term'));
const rrbf = new RrBfChart($('rrbf'));
const histChart = new HistoryChart($('history'));
const heatmap = new Heatmap($('heatmap'));

// Smile charts below the fold are drawn when they scroll into view.
const observer = new IntersectionObserver((entries) => {
  for (const en of entries) {
    const chart = state.charts.get(/** @type {HTMLElement} */ (en.target).dataset.expiry ?? '');
    chart?.setVisible(en.isIntersecting);
  }
}, { rootMargin: '200px' });

// ---------- selection ----------
function readHash() {
  const [u, v] = decodeURIComponent(location.hash.slice(1)).split('@');
  return { underlying: u || null, venue: v || null };
}

function writeHash(sel) {
  const h = `#${sel.underlying}${sel.venue ? `@${sel.venue}` : ''}`;
  if (location.hash !== h) window.history.replaceState(null, '', h);
}

function selection() {
  return { underlying: els.underlying.value, venue: els.venue.value || null };
}

function fillSelect(select, values, labels, chosen) {
  const same = select.options.length === values.length && values.every((v, i) => select.options[i].value === v && select.options[i].text === labels[i]);
  if (!same) select.replaceChildren(...values.map((v, i) => new Option(labels[i], v)));
  if (chosen !== undefined && values.includes(chosen)) select.value = chosen;
}

function needKey(show) {
  els.keybar.hidden = !show;
}

async function loadUnderlyings() {
  try {
    state.underlyings = (await getJson('/api/v1/underlyings')).underlyings;
    needKey(false);
  } catch (err) {
    if (err instanceof NeedKeyError) needKey(true);
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
  // Out-of-the-money quotes only: the smiles draw those (the fit uses nothing else).
  return { op, channel: 'surface', underlying: sub.underlying, ...(sub.venue ? { venue: sub.venue } : {}), ...(op === 'subscribe' ? { quotes: 'otm' } : {}) };
}

function changeSubscription() {
  const next = selection();
  if (!next.underlying) return;
  if (state.sub && state.sub.underlying === next.underlying && state.sub.venue === next.venue) return;
  if (state.sub) send(subscribeMsg('unsubscribe', state.sub));
  state.sub = next;
  state.lastSeq = 0;
  state.gaps = 0;
  writeHash(next);
  clearView();
  send(subscribeMsg('subscribe', next));
  void loadHistory(next);
}

function connect() {
  setConn(false, 'connecting…');
  const ws = new WebSocket(wsUrl());
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
    void loadUnderlyings(); // shows the key bar when the refusal was a 401
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
      if (msg.channel !== 'surface' || !sub || msg.underlying !== sub.underlying || (sub.venue && msg.venue !== sub.venue)) return; // a previous subscription
      if (msg.type === 'update' && state.lastSeq && msg.seq > state.lastSeq + 1) state.gaps += msg.seq - state.lastSeq - 1;
      state.lastSeq = msg.seq;
      state.surface = msg.data;
      perf.updates++;
      const t = Date.now();
      state.arrivals.push(t);
      while (state.arrivals.length && state.arrivals[0] < t - 10_000) state.arrivals.shift();
      histChart.push(msg.data);
      if (msg.type === 'snapshot') fillVenues(state.sub?.venue ?? '');
      schedule();
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
function schedule() {
  if (!state.frame) state.frame = requestAnimationFrame(render);
}

function clearView() {
  for (const c of state.charts.values()) { observer.unobserve(c.el); c.destroy(); }
  state.charts.clear();
  state.cells.clear();
  state.tenorCells.clear();
  state.surface = null;
  els.tbody.replaceChildren();
  els.tenors.replaceChildren();
  els.cards.replaceChildren();
  histChart.reset([]);
  histChart.draw();
  heatmap.update(null);
  heatmap.draw();
}

function render() {
  state.frame = 0;
  const s = state.surface;
  if (!s) return;
  const t0 = performance.now();
  els.empty.hidden = true;
  if (!document.body.classList.contains('has-data')) {
    document.body.classList.add('has-data');
    term.resize();
    rrbf.resize();
    histChart.resize();
  }
  const now = Date.now();
  els.meta.textContent = `${s.venue} · fit ${new Date(s.ts).toISOString().slice(11, 19)} UTC · seq ${s.seq}${state.gaps ? ` · ${state.gaps} skipped` : ''}`;
  renderCards(s, now);
  renderTable(s);
  renderTenors(s);
  term.update(s);
  rrbf.update(s);
  heatmap.update(s);
  heatmap.draw();
  histChart.draw();
  renderCharts(s);
  renderFit(els.diagFit, s, now);
  renderQuotes(els.diagQuotes, s, { rate: state.arrivals.length / 10, gaps: state.gaps });
  const ms = performance.now() - t0;
  perf.renders++;
  perf.lastMs = ms;
  perf.maxMs = Math.max(perf.maxMs, ms);
}

function renderCards(s, now) {
  const t30 = (s.tenors ?? []).find((t) => t.days === 30);
  const front = s.expiries[0];
  const cards = [
    ['30d ATM', volPct(t30?.atmVol), 'interpolated in total variance'],
    ['30d RR25', volPts(t30?.rr25), 'vol points, σ(25ΔC) − σ(25ΔP)'],
    ['30d BF25', volPts(t30?.bf25), 'vol points, FX convention'],
    ['30d index', volPct(s.index30d), 'model-free, DVOL-style'],
    ['Front ATM', volPct(front?.atmVol), front ? `${day(front.expiryTs)}, ${fmtDays((front.expiryTs - s.ts) / 86_400_000)} d` : ''],
    ['Fit age', age(now - s.ts), `${s.expiries.length} expiries · ${s.fitter.name} v${s.fitter.version}`],
  ];
  els.cards.replaceChildren(...cards.map(([k, v, sub]) => {
    const d = document.createElement('div');
    d.className = 'card';
    d.innerHTML = '<div class="k"></div><div class="v"></div><div class="s"></div>';
    d.children[0].textContent = k;
    d.children[1].textContent = v;
    d.children[2].textContent = sub;
    return d;
  }));
}

function renderTable(s) {
  fillRows(els.tbody, state.cells, s.expiries.map((e) => {
    const dropped = Object.values(e.dropped ?? {}).reduce((a, b) => a + b, 0);
    return {
      key: e.key,
      cells: [
        ['expiry l', day(e.expiryTs)],
        ['days', fmtDays((e.expiryTs - s.ts) / 86_400_000)],
        ['fwd', compact(e.forward)],
        ['atm', volPct(e.atmVol)],
        ['rr25', volPts(e.rr25)],
        ['bf25', volPts(e.bf25)],
        ['rr10', volPts(e.rr10)],
        ['bf10', volPts(e.bf10)],
        ['skew', e.skew === null ? '–' : num(e.skew * 10, 2)],
        ['rmse', num(e.rmse, 2), e.rmse > 2 ? 'bad' : ''],
        ['inspread', volPct(e.inSpread, 0), e.inSpread < 0.5 ? 'bad' : ''],
        ['ming', num(e.minG, 3), e.minG < 0 ? 'bad' : ''],
        ['used', `${e.used}${dropped ? ` / ${dropped}` : ''}`],
      ],
    };
  }));
}

function renderTenors(s) {
  fillRows(els.tenors, state.tenorCells, (s.tenors ?? []).map((t) => ({
    key: String(t.days),
    cells: [['l', `${t.days} d`], ['atm', volPct(t.atmVol)], ['rr25', volPts(t.rr25)], ['bf25', volPts(t.bf25)], ['rr10', volPts(t.rr10)], ['bf10', volPts(t.bf10)]],
  })));
}

function renderCharts(s) {
  const keep = new Set();
  for (const e of s.expiries) {
    keep.add(e.key);
    let used = 0;
    let out = 0;
    for (const q of e.quotes ?? []) {
      if (q.excluded === null) used++;
      else if (q.excluded !== 'itm') out++;
    }
    const d = Math.max(0, (e.expiryTs - s.ts) / 86_400_000);
    const title = `${day(e.expiryTs)} · ${fmtDays(d)}d · ATM ${volPct(e.atmVol)} · RR25 ${volPts(e.rr25)} · ${used} in fit${out ? `, ${out} left out` : ''}`;
    let chart = state.charts.get(e.key);
    if (!chart) {
      chart = new SmileChart(els.charts, e.key);
      state.charts.set(e.key, chart);
      observer.observe(chart.el);
    }
    chart.setTitle(title);
    chart.update(e, state.xMode);
  }
  for (const [key, chart] of state.charts) {
    if (!keep.has(key)) {
      observer.unobserve(chart.el);
      chart.destroy();
      state.charts.delete(key);
    }
  }
  // Keep chart order = expiry order after a new expiry appears.
  let i = 0;
  for (const e of s.expiries) {
    const el = state.charts.get(e.key).el;
    if (els.charts.children[i] !== el) els.charts.insertBefore(el, els.charts.children[i] ?? null);
    i++;
  }
}

// ---------- polling: history, health, status ----------
async function loadHistory(sub) {
  try {
    const q = new URLSearchParams({ maxPoints: '400', ...(sub.venue ? { venue: sub.venue } : {}) });
    const h = await getJson(`/api/v1/surfaces/${encodeURIComponent(sub.underlying)}/history?${q}`);
    if (state.sub !== sub) return;
    histChart.reset(h.points);
    if (state.surface) histChart.push(state.surface);
    histChart.draw();
  } catch {
    // no history (NATS down, or nothing stored yet): the chart fills from live updates
  }
}

async function pollHealth() {
  try {
    const res = await fetch('/health');
    state.health = await res.json();
  } catch {
    state.health = null;
  }
  renderPipeline(els.diagPipe, els.lag, state.health, Date.now());
}

async function pollStatus() {
  try {
    renderEvents(els.events, (await getJson('/api/v1/status')).events);
  } catch {
    // shown stale until the next poll
  }
}

// ---------- controls ----------
function setXMode(mode) {
  state.xMode = mode;
  localStorage.setItem('volstream.xMode', mode);
  for (const b of els.xaxis.querySelectorAll('button')) {
    const on = b.dataset.x === mode;
    b.classList.toggle('on', on);
    b.setAttribute('aria-checked', String(on));
  }
  schedule();
}
els.xaxis.addEventListener('click', (ev) => {
  const b = /** @type {HTMLElement} */ (ev.target).closest('button');
  if (b?.dataset.x) setXMode(b.dataset.x);
});
setXMode(['strike', 'k', 'delta'].includes(state.xMode) ? state.xMode : 'k');

// Section links scroll without touching the hash (the hash holds the selection).
for (const a of document.querySelectorAll('nav a[href^="#"]')) {
  a.addEventListener('click', (ev) => {
    ev.preventDefault();
    document.querySelector(a.getAttribute('href'))?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  });
}

$('apikey-use').addEventListener('click', () => {
  setApiKey(els.apikey.value.trim());
  needKey(false);
  state.ws?.close();
  void loadUnderlyings();
});

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    for (const c of state.charts.values()) c.resize();
    term.resize();
    rrbf.resize();
    histChart.resize();
    heatmap.draw();
  }, 100);
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
void pollHealth();
void pollStatus();
setInterval(pollHealth, 5_000);
setInterval(pollStatus, 10_000);
