import { age, clock, day, num, volPct } from './format.js';

// The diagnostics panel: fit quality and arbitrage checks from the surface, quote health from
// the quotes it carries, and pipeline lag and rates from /health.

const STALE_MS = 5 * 60_000;

/** Fill a <dl> with [label, value, cls?] rows. */
function kv(dl, rows) {
  dl.replaceChildren(...rows.flatMap(([k, v, cls]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    if (cls) dd.className = cls;
    return [dt, dd];
  }));
}

const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function renderFit(dl, s, now) {
  const ex = s.expiries;
  const rmse = ex.map((e) => e.rmse);
  const spread = ex.map((e) => e.inSpread);
  const ms = ex.map((e) => e.fitMs);
  const butterfly = ex.filter((e) => e.minG < 0);
  const calendar = [];
  for (let i = 1; i < ex.length; i++) {
    const w0 = ex[i - 1].atmVol ** 2 * ex[i - 1].t;
    const w1 = ex[i].atmVol ** 2 * ex[i].t;
    if (w1 < w0) calendar.push(ex[i]);
  }
  const repaired = ex.filter((e) => e.calendarRepaired).length;
  const dropped = {};
  for (const e of ex) for (const [k, n] of Object.entries(e.dropped ?? {})) dropped[k] = (dropped[k] ?? 0) + n;
  kv(dl, [
    ['Fitter', `${s.fitter.name} v${s.fitter.version}`],
    ['Fit time (UTC)', `${clock(s.ts)} · ${age(now - s.ts)} ago`, now - s.ts > 60_000 ? 'bad' : ''],
    ['Expiries fitted', String(ex.length)],
    ['RMSE mean / max', `${num(mean(rmse), 2)} / ${num(Math.max(...rmse), 2)} vol pts`],
    ['Fit inside bid/ask', `${volPct(mean(spread), 0)} mean, ${volPct(Math.min(...spread), 0)} worst`, Math.min(...spread) < 0.5 ? 'bad' : ''],
    ['Butterfly arbitrage (g < 0)', butterfly.length ? butterfly.map((e) => day(e.expiryTs)).join(', ') : 'none', butterfly.length ? 'bad' : 'ok'],
    ['Calendar (ATM total var. falls)', calendar.length ? calendar.map((e) => day(e.expiryTs)).join(', ') : 'none', calendar.length ? 'bad' : 'ok'],
    ['Calendar repairs', String(repaired)],
    ['Fit ms mean / max', `${num(mean(ms), 1)} / ${num(Math.max(...ms), 1)}`],
    ['Filtered by fitter', Object.entries(dropped).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'],
  ]);
}

export function renderQuotes(dl, s, stats) {
  let total = 0;
  let inFit = 0;
  let noIv = 0;
  let stale = 0;
  let oldest = Infinity;
  const out = {};
  for (const e of s.expiries) {
    for (const q of e.quotes ?? []) {
      total++;
      if (q.excluded === null) inFit++;
      else out[q.excluded] = (out[q.excluded] ?? 0) + 1;
      if (q.bidIv === null && q.askIv === null && q.midIv === null) noIv++;
      if (s.ts - q.ts > STALE_MS) stale++;
      oldest = Math.min(oldest, q.ts);
    }
  }
  kv(dl, [
    ['Out-of-the-money quotes', String(total)],
    ['In the fit', String(inFit)],
    ['Left out', Object.entries(out).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'],
    ['Without any IV', String(noIv)],
    [`Not updated for ${STALE_MS / 60_000} min`, String(stale), stale > 0 ? 'bad' : ''],
    ['Oldest quote', Number.isFinite(oldest) ? `${age(s.ts - oldest)} before the fit` : '–'],
    ['Updates received', `${num(stats.rate, 1)} /s · ${stats.gaps} skipped states`],
  ]);
}

export function renderPipeline(dl, tbody, h, now) {
  if (!h) {
    kv(dl, [['Gateway', 'unreachable', 'bad']]);
    tbody.replaceChildren();
    return;
  }
  const rows = [
    ['NATS', h.nats.status, h.nats.connected ? 'ok' : 'bad'],
    ['Gateway lag (surface / vol)', `${h.feed.surfacePending ?? '–'} / ${h.feed.volPending ?? '–'} msgs`],
    ['Websocket clients', String(h.websocket?.clients ?? '–')],
  ];
  for (const st of h.streams ?? []) rows.push([`${st.stream} rate`, st.ratePerSec === null ? '–' : `${num(st.ratePerSec, 1)} msg/s`]);
  if (h.pipelineTs) rows.push(['Polled', `${age(now - h.pipelineTs)} ago`]);
  kv(dl, rows);
  tbody.replaceChildren(...(h.consumers ?? []).map((c) => {
    const tr = document.createElement('tr');
    for (const [cls, text] of [['l', `${c.stream} / ${c.consumer}`], ['', String(c.pending)], ['', String(c.ackPending)]]) {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = text;
      tr.appendChild(td);
    }
    if (c.pending > 10_000) tr.lastChild.previousSibling.classList.add('bad');
    return tr;
  }));
}

export function renderEvents(ul, events) {
  ul.replaceChildren(...events.slice(-30).reverse().map((e) => {
    const li = document.createElement('li');
    const t = document.createElement('span');
    t.className = 't';
    t.textContent = clock(e.ts);
    const k = document.createElement('span');
    k.className = 'kind';
    k.textContent = e.kind;
    li.append(t, k, `${e.stage}${e.underlying ? ` ${e.underlying}` : ''}${e.expiryTs ? ` ${day(e.expiryTs)}` : ''}: ${e.reason}`);
    return li;
  }));
  if (events.length === 0) ul.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'none' }));
}
