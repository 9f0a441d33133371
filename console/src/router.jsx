// Paths under /ui (the server answers every /ui path with the console's page): a history-API router
// small enough that a library would add more than it saves.
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/ui';
const ROUTES = [
  ['proxies', /^\/proxies$/, () => ({})],
  ['service', /^\/namespaces\/([^/]+)\/services\/([^/]+)$/, (m) => ({ ns: m[1], svc: m[2] })],
  ['namespace', /^\/namespaces\/([^/]+)$/, (m) => ({ ns: m[1] })],
  ['namespaces', /^\/?$/, () => ({})],
];

/** The view a path names: {name, params}, or {name: 'notFound'}. */
export function match(pathname) {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  for (const [name, pattern, params] of ROUTES) {
    const m = pattern.exec(path);
    if (m) return { name, params: params(m.map((s) => (s ? decodeURIComponent(s) : s))) };
  }
  return { name: 'notFound', params: { path } };
}

export function navigate(path) {
  history.pushState(null, '', BASE + path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute() {
  const [pathname, setPathname] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPathname(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return match(pathname);
}

/** A link inside the console: a real href (new tabs work), followed without a reload. */
export function Link({ to, children, ...rest }) {
  const onClick = (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={onClick} {...rest}>{children}</a>;
}
