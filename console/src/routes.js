// The console's paths under /ui (the server answers every /ui path with the console's page).
export const BASE = '/ui';
const ROUTES = [
  ['proxies', /^\/proxies$/, () => ({})],
  ['status', /^\/status$/, () => ({})],
  ['service', /^\/namespaces\/([^/]+)\/services\/([^/]+)$/, (m) => ({ ns: m[1], svc: m[2] })],
  ['namespace', /^\/namespaces\/([^/]+)$/, (m) => ({ ns: m[1] })],
  ['namespaces', /^\/?$/, () => ({})],
];

/** The view a path names: {name, params}, or {name: 'notFound'}. */
export function match(pathname) {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  for (const [name, pattern, params] of ROUTES) {
    const m = pattern.exec(path);
    if (m) {
      try {
        return { name, params: params(m.map((s) => (s ? decodeURIComponent(s) : s))) };
      } catch {
        break; // a malformed escape names no namespace or service
      }
    }
  }
  return { name: 'notFound', params: { path } };
}
