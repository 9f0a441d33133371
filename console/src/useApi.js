import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
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
 * Follows {@code ns}'s changes (every namespace's for null) while the view is shown: {@code onChange(change)} for each, {@code onLive()}
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

// A burst of changes is followed by one read of a list, this long after its last change.
const BURST_MS = 300;

/**
 * The list at {@code path}, read again after each burst of {@code ns}'s changes that {@code relevant}
 * keeps, and at every (re)connection of the watch: for lists whose figures are the server's to compute.
 */
export function useLiveList(path, ns, relevant = () => true) {
  const list = useApi(path);
  const refetch = useMemo(() => debounce(list.reload, BURST_MS), [list.reload]);
  useEffect(() => refetch.cancel, [refetch]);
  const live = useWatch(ns, (c) => relevant(c) && refetch(), list.reload);
  return { ...list, live };
}

/** {@code path} read every {@code ms} while the view is shown: for what the watch does not carry. */
export function usePolled(path, ms) {
  const answer = useApi(path);
  useEffect(() => {
    const timer = setInterval(answer.reload, ms);
    return () => clearInterval(timer);
  }, [answer.reload, ms]);
  return answer;
}
