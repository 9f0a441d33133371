// Following paths under /ui with the history API, without a reload: small enough that a router library
// would add more than it saves. Which view a path names is routes.js.
import { useEffect, useState } from 'preact/hooks';
import { BASE, match } from './routes.js';

export { BASE };

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
