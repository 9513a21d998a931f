// A browsable page for the gateway's OpenAPI document (/openapi.json), with "try it" forms.
// Served from the project like the dashboard: no CDN, no framework.

const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
};

/** The few markdown forms the document uses: paragraphs, `- ` lists and `code`. */
function markdown(text) {
  const out = document.createDocumentFragment();
  for (const block of String(text ?? '').split(/\n\n+/)) {
    const lines = block.split('\n');
    if (lines.every((l) => l.startsWith('- '))) {
      out.append(el('ul', {}, ...lines.map((l) => el('li', {}, ...inline(l.slice(2))))));
    } else out.append(el('p', {}, ...inline(block)));
  }
  return out;
}
function inline(text) {
  return text.split(/(`[^`]+`)/).map((part) => (part.startsWith('`') && part.endsWith('`') ? el('code', { textContent: part.slice(1, -1) }) : document.createTextNode(part)));
}

const refName = (ref) => ref.replace('#/components/schemas/', '');
function typeOf(s) {
  if (!s) return '';
  if (s.$ref) return refName(s.$ref);
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(typeOf).join(' | ');
  if (Array.isArray(s.type)) return s.type.join(' | ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  return s.type ?? 'object';
}
function schemaLink(s) {
  const t = typeOf(s);
  const name = s?.$ref ? refName(s.$ref) : s?.items?.$ref ? refName(s.items.$ref) : null;
  return name ? el('a', { href: `#schema-${name}`, textContent: t }) : el('code', { textContent: t });
}

function operation(path, method, op, doc) {
  const params = op.parameters ?? [];
  const body = el('div', { className: 'body' });
  if (op.description) body.append(markdown(op.description));
  if (params.length) {
    body.append(el('table', {},
      el('thead', {}, el('tr', {}, ...['parameter', 'in', 'type', 'description'].map((h) => el('th', { textContent: h })))),
      el('tbody', {}, ...params.map((p) => el('tr', {},
        el('td', {}, el('code', { textContent: p.name }), p.required ? el('span', { className: 'muted', textContent: ' required' }) : null),
        el('td', { textContent: p.in }),
        el('td', {}, el('code', { textContent: typeOf(p.schema) + (p.schema?.pattern ? ` /${p.schema.pattern}/` : '') })),
        el('td', { textContent: p.description ?? p.schema?.description ?? '' }),
      )))));
  }
  body.append(el('table', {},
    el('thead', {}, el('tr', {}, ...['status', 'description', 'body'].map((h) => el('th', { textContent: h })))),
    el('tbody', {}, ...Object.entries(op.responses ?? {}).map(([code, r]) => {
      const content = r.content ?? {};
      const [type] = Object.keys(content);
      return el('tr', {}, el('td', { textContent: code }), el('td', {}, ...inline(r.description ?? '')), el('td', {}, type ? schemaLink(content[type].schema) : ''));
    }))));

  // Try it: a field per parameter, prefilled with its example.
  const inputs = params.map((p) => {
    const input = el('input', { name: p.name, value: p.in === 'path' ? (p.schema?.example ?? p.example ?? '') : '', placeholder: String(p.schema?.example ?? p.example ?? '') });
    input.dataset.in = p.in;
    return { p, input };
  });
  const out = el('pre', { hidden: true });
  const status = el('span', { className: 'status' });
  const run = el('button', { type: 'button', textContent: 'Send' });
  run.addEventListener('click', async () => {
    let url = path;
    const q = new URLSearchParams();
    for (const { p, input } of inputs) {
      const v = input.value.trim();
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(v));
      else if (v) q.set(p.name, v);
    }
    if ([...q].length) url += `?${q}`;
    const key = $('#key').value.trim();
    status.textContent = '…';
    try {
      const res = await fetch(url, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
      const text = await res.text();
      status.textContent = `${res.status} ${res.statusText} · GET ${url}`;
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON */ }
      out.textContent = shown.length > 200_000 ? `${shown.slice(0, 200_000)}\n… (${shown.length} characters)` : shown;
      out.hidden = false;
    } catch (err) {
      status.textContent = String(err);
    }
  });
  body.append(el('div', { className: 'try' }, ...inputs.map(({ p, input }) => el('label', {}, `${p.name}${p.in === 'path' ? '' : ' (query)'}`, input)), run, status), out);

  return el('details', { className: 'op', id: op.operationId ?? '' },
    el('summary', {}, el('span', { className: 'm', textContent: method.toUpperCase() }), el('span', { className: 'p', textContent: path }), el('span', { className: 's', textContent: op.summary ?? '' })),
    body);
}

function schemas(doc) {
  const all = doc.components?.schemas ?? {};
  return Object.entries(all).map(([name, s]) => {
    const props = s.properties ?? {};
    const required = new Set(s.required ?? []);
    return el('div', { className: 'schema', id: `schema-${name}` },
      el('h3', { textContent: name }),
      s.description ? el('p', { className: 'muted', textContent: s.description }) : null,
      Object.keys(props).length ? el('table', {},
        el('tbody', {}, ...Object.entries(props).map(([k, v]) => el('tr', {},
          el('td', {}, el('code', { textContent: k }), required.has(k) ? null : el('span', { className: 'muted', textContent: ' optional' })),
          el('td', {}, schemaLink(v)),
          el('td', { textContent: v.description ?? '' }),
        )))) : null);
  });
}

async function main() {
  $('#key').value = localStorage.getItem('volstream.apiKey') ?? '';
  const doc = await (await fetch('/openapi.json')).json();
  document.title = `${doc.info.title} · API`;
  $('#intro').append(el('p', { className: 'muted', textContent: `OpenAPI ${doc.openapi} · version ${doc.info.version}` }), markdown(doc.info.description));
  const byTag = new Map();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(operation(path, method, op, doc));
    }
  }
  for (const [tag, ops] of byTag) {
    const t = doc.tags?.find((x) => x.name === tag);
    $('#ops').append(el('h2', { textContent: tag }), t?.description ? el('p', { className: 'muted', textContent: t.description }) : null, ...ops);
  }
  $('#schemas').append(el('h2', { textContent: 'Schemas' }), ...schemas(doc));
  if (location.hash) document.querySelector(location.hash)?.scrollIntoView();
}

void main();
