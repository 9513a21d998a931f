/**
 * Deribit-like expiry calendar. All expiries are 08:00 UTC (EXCHANGES.md §0 and §1.2: Deribit
 * `expiration_timestamp` 1751788800000 = 2025-07-06T08:00Z; QUANT.md b11).
 */
import type { Expiry, SettlementPeriod } from './types.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;

/** Deribit date token: day not zero padded, e.g. `27NOV26`, `6JUL25` (EXCHANGES.md §1.2 naming). */
export function deribitDateLabel(expiryTs: number): string {
  const d = new Date(expiryTs);
  const yy = String(d.getUTCFullYear() % 100).padStart(2, '0');
  return `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${yy}`;
}

/** 08:00 UTC of the calendar day containing `ts`. */
function at0800(ts: number): number {
  const d = new Date(ts);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 8);
}

/** 08:00 UTC of the last Friday of a month (month 0-based, may overflow into later years). */
function lastFriday0800(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0, 8)); // day 0 of next month = last day of this one
  const back = (lastDay.getUTCDay() - 5 + 7) % 7;
  return lastDay.getTime() - back * DAY_MS;
}

export type CalendarOptions = {
  /** wall time the listing is built at, ms */
  nowMs: number;
  /** expiries closer than this are not listed (avoids t → 0 slices at start-up) */
  minLeadMs?: number;
  dailies?: number;
  weeklies?: number;
  monthlies?: number;
  quarterlies?: number;
};

/**
 * The listed expiries at `nowMs`: the next dailies, Friday weeklies, last-Friday monthlies and
 * last-Friday quarterlies (Mar/Jun/Sep/Dec), deduplicated with the longest settlement period
 * winning (a quarterly Friday is also a weekly). Deribit labels quarterlies `month`
 * (settlement_period enum month|week|day, EXCHANGES.md §1.2). Monthlies and quarterlies get a
 * listed future; the others price off a synthetic `SYN.` underlying (QUANT.md b8, RD1).
 */
export function listExpiries({
  nowMs,
  minLeadMs = HOUR_MS,
  dailies = 4,
  weeklies = 4,
  monthlies = 3,
  quarterlies = 4,
}: CalendarOptions): Expiry[] {
  const from = nowMs + minLeadMs;
  const found = new Map<number, SettlementPeriod>();
  const rank: Record<SettlementPeriod, number> = { day: 0, week: 1, month: 2 };
  const add = (ts: number, period: SettlementPeriod) => {
    const prev = found.get(ts);
    if (prev === undefined || rank[period] > rank[prev]) found.set(ts, period);
  };

  let day = at0800(from);
  if (day <= from) day += DAY_MS;
  for (let i = 0; i < dailies; i++) add(day + i * DAY_MS, 'day');

  let friday = day;
  while (new Date(friday).getUTCDay() !== 5) friday += DAY_MS;
  for (let i = 0; i < weeklies; i++) add(friday + i * 7 * DAY_MS, 'week');

  const start = new Date(from);
  const y0 = start.getUTCFullYear();
  const m0 = start.getUTCMonth();
  for (let i = 0, n = 0; n < monthlies && i < 24; i++) {
    const ts = lastFriday0800(y0, m0 + i);
    if (ts > from) {
      add(ts, 'month');
      n++;
    }
  }
  for (let i = 0, n = 0; n < quarterlies && i < 48; i++) {
    const month = m0 + i;
    if (month % 3 !== 2) continue; // Mar, Jun, Sep, Dec are months 2, 5, 8, 11
    const ts = lastFriday0800(y0, month);
    if (ts > from) {
      add(ts, 'month');
      n++;
    }
  }

  return [...found.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([ts, period]) => ({ ts, label: deribitDateLabel(ts), period, hasFuture: period === 'month' }));
}
