import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from './api.js';
import { watchNamespace } from './watch.js';

/**
 * GETs {@code path} and keeps the answer: {data, etag, error, reload, setData}. A newer load wins over
 * an older one still in flight, so a quick reload never shows stale data.
 */
export function useApi(path) {
  const [state, setState] = useState({ data: null, etag: null, error: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!path) return undefined;
    const controller = new AbortController();
    get(path, { signal: controller.signal })
      .then((r) => setState({ data: r.body, etag: r.etag, error: null }))
      .catch((e) => {
        if (e.name !== 'AbortError') setState((s) => ({ ...s, error: e }));
      });
    return () => controller.abort();
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const setData = useCallback((update) => setState((s) => ({ ...s, data: update(s.data) })), []);
  return { ...state, reload, setData };
}

/** Runs {@code fn} at most once per {@code ms}, at the end of a burst: for refetches that changes trigger. */
export function debounce(fn, ms) {
  let timer = null;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/**
 * Follows {@code ns}'s changes while the view is shown: {@code onChange(change)} for each, {@code onLive()}
 * whenever the stream (re)connects, when the view must re-read what it shows. Returns the watch's status.
 */
export function useWatch(ns, onChange, onLive) {
  const [status, setStatus] = useState('connecting');
  const handlers = useRef(null);
  handlers.current = { onChange, onLive };
  useEffect(() => watchNamespace(ns, (c) => handlers.current.onChange(c), (s) => {
    setStatus(s);
    if (s === 'live') handlers.current.onLive();
  }), [ns]);
  return status;
}
