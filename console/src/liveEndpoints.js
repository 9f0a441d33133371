import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { useApi } from './useApi.js';

// Changes kept on top of the last list read; past this many the list is read again instead.
const MAX_CHANGES = 200;

/**
 * A service's endpoints kept live: the last GET of the list (a page at revision R) with the watch's
 * changes after R applied in order, so a change is shown at once whichever of the list and the change
 * arrives first. {@code apply(change)} takes a watch change, or a local one ({local: true}) that the
 * next read of the list replaces, e.g. the answer of a drain.
 */
export function useLiveEndpoints(path) {
  const page = useApi(path);
  const [changes, setChanges] = useState([]);
  const revision = page.data ? page.data.revision : null;
  useEffect(() => {
    if (revision !== null) setChanges((cs) => cs.filter((c) => !c.local && c.revision > revision));
  }, [page.data]);
  useEffect(() => {
    if (changes.length > MAX_CHANGES) page.reload();
  }, [changes.length > MAX_CHANGES]);
  const items = useMemo(() => page.data && changes
    .filter((c) => c.local || c.revision > revision)
    .reduce(patched, page.data.items), [page.data, changes]);
  const apply = useCallback((change) => setChanges((cs) => [...cs, change]), []);
  return { items, error: page.error, reload: page.reload, apply };
}

/** The endpoint list with one change applied: a put replaces or adds its row, a delete removes it. */
export function patched(items, change) {
  const rest = items.filter((e) => e.id !== change.id);
  if (change.op === 'delete' || !change.value) return rest;
  return [...rest, { ...change.value, id: change.id }].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
