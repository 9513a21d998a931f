import { expiryToken } from '@volstream/events';
import type { SurfaceStore } from './store.ts';
import type { PipelineSnapshot } from './pipeline.ts';

// GET /metrics in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): a pure renderer and the
// gateway's metric families built from plain inputs.

export type Sample = { labels?: Record<string, string>; value: number };
export type Family = { name: string; help: string; type: 'counter' | 'gauge'; samples: Sample[] };

/** Label values escape `\`, `"` and newlines; values print NaN and ±Inf as Prometheus spells them. */
const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const num = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

export function renderPrometheus(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels && Object.keys(s.labels).length > 0
        ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`
        : '';
      lines.push(`${f.name}${labels} ${num(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export type MetricsInput = {
  store: SurfaceStore;
  now: number;
  nats: { connected: boolean };
  feed: Record<string, number>;
  websocket: Record<string, number> | undefined;
  http: { requests: Record<string, number>; unauthorized: number; rateLimited: number };
  pipeline: PipelineSnapshot | undefined;
};

const gauge = (name: string, help: string, samples: Sample[]): Family => ({ name, help, type: 'gauge', samples });
const counter = (name: string, help: string, samples: Sample[]): Family => ({ name, help, type: 'counter', samples });

/** Every metric family the gateway exposes. */
export function gatewayFamilies(m: MetricsInput): Family[] {
  const entries = m.store.surfaces();
  const ul = (u: string, v: string) => ({ underlying: u, venue: v });
  const perExpiry = (pick: (x: NonNullable<(typeof entries)[number]['surface']>['expiries'][number]) => number | null) =>
    entries.flatMap((e) => e.surface!.expiries.flatMap((x) => {
      const v = pick(x);
      return v === null ? [] : [{ labels: { ...ul(e.underlying, e.venue), expiry: expiryToken(x.expiryTs) }, value: v }];
    }));
  const ws = m.websocket ?? {};
  const f = m.feed;
  return [
    gauge('volstream_nats_connected', '1 while the gateway is connected to NATS', [{ value: m.nats.connected ? 1 : 0 }]),
    counter('volstream_gateway_feed_messages_total', 'Messages read from the pipeline streams', [
      { labels: { stream: 'surface' }, value: f.surfaceMessages ?? 0 },
      { labels: { stream: 'vol' }, value: f.volMessages ?? 0 },
    ]),
    counter('volstream_gateway_feed_decode_errors_total', 'Messages that failed to decode and were skipped', [{ value: f.decodeErrors ?? 0 }]),
    gauge('volstream_gateway_feed_pending', 'Messages the gateway has not read yet, per stream', [
      { labels: { stream: 'surface' }, value: f.surfacePending ?? 0 },
      { labels: { stream: 'vol' }, value: f.volPending ?? 0 },
    ]),
    gauge('volstream_gateway_quotes', 'Options with a current vol point', [{ value: m.store.quoteCount() }]),
    counter('volstream_http_requests_total', 'HTTP requests by status class', Object.entries(m.http.requests).map(([code, value]) => ({ labels: { code }, value }))),
    counter('volstream_http_refused_total', 'Requests refused for a missing/unknown API key or a rate limit', [
      { labels: { reason: 'unauthorized' }, value: m.http.unauthorized },
      { labels: { reason: 'rate_limited' }, value: m.http.rateLimited },
    ]),
    gauge('volstream_ws_clients', 'Connected websocket clients', [{ value: ws.clients ?? 0 }]),
    gauge('volstream_ws_subscriptions', 'Websocket subscriptions', [{ value: ws.subscriptions ?? 0 }]),
    counter('volstream_ws_messages_total', 'Websocket messages sent', [{ value: ws.messages ?? 0 }]),
    counter('volstream_ws_bytes_total', 'Websocket bytes sent', [{ value: ws.bytes ?? 0 }]),
    counter('volstream_ws_conflated_total', 'Updates held back from slow websocket clients (latest state sent instead)', [{ value: ws.conflated ?? 0 }]),
    counter('volstream_ws_dropped_total', 'Websocket clients dropped for not reading', [{ value: ws.dropped ?? 0 }]),
    gauge('volstream_surface_age_seconds', 'Gateway time minus the fit time of the latest surface', entries.map((e) => ({ labels: ul(e.underlying, e.venue), value: (m.now - e.surface!.ts) / 1_000 }))),
    gauge('volstream_surface_expiries', 'Expiries in the latest surface', entries.map((e) => ({ labels: ul(e.underlying, e.venue), value: e.surface!.expiries.length }))),
    gauge('volstream_surface_index30d', '30-day model-free vol index (fraction)', entries.flatMap((e) => (typeof e.surface!.index30d === 'number' ? [{ labels: ul(e.underlying, e.venue), value: e.surface!.index30d }] : []))),
    gauge('volstream_tenor_atm_vol', 'ATM vol at a fixed tenor (fraction)', entries.flatMap((e) => (e.surface!.tenors ?? []).flatMap((t) => (t.atmVol === null ? [] : [{ labels: { ...ul(e.underlying, e.venue), days: String(t.days) }, value: t.atmVol }])))),
    gauge('volstream_expiry_atm_vol', 'ATM-forward vol per expiry (fraction)', perExpiry((x) => x.atmVol)),
    gauge('volstream_expiry_rr25', '25-delta risk reversal per expiry (fraction)', perExpiry((x) => x.rr25)),
    gauge('volstream_expiry_bf25', '25-delta butterfly per expiry (fraction)', perExpiry((x) => x.bf25)),
    gauge('volstream_fit_rmse_volpoints', 'Vega-weighted RMSE of the fit, vol points', perExpiry((x) => x.diagnostics.rmse)),
    gauge('volstream_fit_in_spread_ratio', 'Share of two-sided quotes with the fit inside bid/ask', perExpiry((x) => x.diagnostics.inSpread)),
    gauge('volstream_fit_min_g', 'Minimum Gatheral-Jacquier g(k) of the fit (>= 0: no butterfly arbitrage)', perExpiry((x) => x.diagnostics.minG)),
    gauge('volstream_fit_duration_ms', 'Wall time of the latest fit per expiry', perExpiry((x) => x.diagnostics.ms)),
    gauge('volstream_consumer_pending', 'Messages not yet delivered to a pipeline consumer (lag)', (m.pipeline?.consumers ?? []).map((c) => ({ labels: { stream: c.stream, consumer: c.consumer }, value: c.pending }))),
    gauge('volstream_consumer_ack_pending', 'Messages delivered to a pipeline consumer and not yet acked', (m.pipeline?.consumers ?? []).map((c) => ({ labels: { stream: c.stream, consumer: c.consumer }, value: c.ackPending }))),
    counter('volstream_stream_messages_total', 'Messages stored in a pipeline stream (its last sequence)', (m.pipeline?.streams ?? []).map((s) => ({ labels: { stream: s.stream }, value: s.lastSeq }))),
    gauge('volstream_stream_messages', 'Messages held by a pipeline stream', (m.pipeline?.streams ?? []).map((s) => ({ labels: { stream: s.stream }, value: s.messages }))),
    gauge('volstream_stream_bytes', 'Bytes held by a pipeline stream', (m.pipeline?.streams ?? []).map((s) => ({ labels: { stream: s.stream }, value: s.bytes }))),
  ];
}
