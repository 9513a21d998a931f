// A structural check of an OpenAPI 3.x document, for tests (no validator package is installed):
// the version, info, every operation's responses, operation ids, path parameters against the
// path template, security scheme names, and that every $ref resolves. Returns the problems.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function resolvePointer(doc: Obj, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function checkOpenApi(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObj(doc)) return ['document is not an object'];
  if (typeof doc.openapi !== 'string' || !/^3\.[01]\.\d+$/.test(doc.openapi)) problems.push(`openapi: ${JSON.stringify(doc.openapi)} is not 3.0.x or 3.1.x`);
  if (!isObj(doc.info) || typeof doc.info.title !== 'string' || typeof doc.info.version !== 'string') problems.push('info.title and info.version must be strings');
  if (!isObj(doc.paths)) return [...problems, 'paths missing'];
  const schemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? Object.keys(doc.components.securitySchemes) : [];
  const checkSecurity = (where: string, sec: Json | undefined) => {
    if (sec === undefined) return;
    if (!Array.isArray(sec)) return problems.push(`${where}: security must be an array`);
    for (const req of sec) {
      if (!isObj(req)) problems.push(`${where}: security requirement must be an object`);
      else for (const name of Object.keys(req)) if (!schemes.includes(name)) problems.push(`${where}: unknown security scheme ${name}`);
    }
  };
  checkSecurity('root', doc.security);
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    if (!isObj(item)) { problems.push(`${path}: not an object`); continue; }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!isObj(op)) { problems.push(`${where}: not an object`); continue; }
      if (typeof op.operationId === 'string') {
        if (ids.has(op.operationId)) problems.push(`${where}: duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
      }
      if (!isObj(op.responses) || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
      else {
        if (!Object.keys(op.responses).some((c) => /^2\d\d$/.test(c))) problems.push(`${where}: no 2xx response`);
        for (const [code, r] of Object.entries(op.responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code)) problems.push(`${where}: bad status ${code}`);
          if (!isObj(r) || (typeof r.description !== 'string' && typeof r.$ref !== 'string')) problems.push(`${where} ${code}: response needs a description`);
        }
      }
      const params = Array.isArray(op.parameters) ? op.parameters.filter(isObj) : [];
      const inPath = params.filter((p) => p.in === 'path').map((p) => String(p.name));
      for (const p of params) {
        if (typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(String(p.in))) problems.push(`${where}: bad parameter ${JSON.stringify(p)}`);
        if (p.in === 'path' && p.required !== true) problems.push(`${where}: path parameter ${String(p.name)} must be required`);
        if (!isObj(p.schema) && !isObj(p.content)) problems.push(`${where}: parameter ${String(p.name)} needs a schema`);
      }
      for (const t of templated) if (!inPath.includes(t)) problems.push(`${where}: path parameter {${t}} is not declared`);
      for (const n of inPath) if (!templated.includes(n)) problems.push(`${where}: declared path parameter ${n} is not in the path`);
      checkSecurity(where, op.security);
    }
  }
  // Every $ref resolves.
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${at}/${i}`));
    if (!isObj(node)) return;
    if (typeof node.$ref === 'string' && resolvePointer(doc, node.$ref) === undefined) problems.push(`${at}: $ref ${node.$ref} does not resolve`);
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
  };
  walk(doc, '#');
  return problems;
}
