/** A REST body as text (venues' instrument lists); throws on HTTP errors and timeouts. */
export async function fetchText(url: string, timeoutMs: number): Promise<string> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: ctrl.signal, headers: { accept: 'application/json' } });
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${body.slice(0, 200)}`);
    return body;
  } finally {
    clearTimeout(timer);
  }
}

/** `base` + `path` without doubled or missing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
