// How the page talks to the gateway: fetch with the API key when one is needed, and the
// websocket URL (browsers cannot set headers on a websocket, so the key goes in the query).

const KEY = 'volstream.apiKey';

export function apiKey() {
  return new URLSearchParams(location.search).get('api_key') || localStorage.getItem(KEY) || '';
}

export function setApiKey(key) {
  if (key) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}

/** Raised when the gateway answers 401: the page asks for a key. */
export class NeedKeyError extends Error {
  constructor() {
    super('API key required');
    this.name = 'NeedKeyError';
  }
}

/** GET a JSON resource; throws NeedKeyError on 401, Error on other failures. */
export async function getJson(path) {
  const key = apiKey();
  const res = await fetch(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  if (res.status === 401) throw new NeedKeyError();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

export function wsUrl() {
  const key = apiKey();
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws${key ? `?api_key=${encodeURIComponent(key)}` : ''}`;
}
