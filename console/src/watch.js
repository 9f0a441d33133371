// Live registry changes: GET /v1/watch?namespace=NS, a server-sent event stream read with fetch and a
// stream reader rather than EventSource, which cannot send the Authorization header. Each change is
// `event: change`, `id: <revision>`, data {revision, namespace, kind, service, id, op, value}
// (docs/operations.md). The server does not replay: when the stream ends or fails, this reconnects, and
// every (re)connection is reported as 'live' so that the view re-reads what it shows.
import { createParser } from 'eventsource-parser';
import { authHeaders } from './api.js';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * Follows the namespace's changes (every readable namespace's when {@code namespace} is null) until the
 * returned function is called. {@code onChange(change)} gets
 * each change, {@code onStatus(state, detail)} 'live' (at every connection: re-read now), 'reconnecting'
 * or 'unavailable'.
 */
export function watchNamespace(namespace, onChange, onStatus = () => {}) {
  const controller = new AbortController();
  let retry = RETRY_MIN_MS;

  const parser = createParser({
    onEvent(event) {
      if (event.event !== 'change') return;
      try {
        onChange(JSON.parse(event.data));
      } catch (e) {
        console.error('tether console: bad watch event', event, e);
      }
    },
  });

  async function once() {
    const headers = authHeaders({ Accept: 'text/event-stream' });
    const query = namespace ? `?namespace=${encodeURIComponent(namespace)}` : '';
    const response = await fetch(`/v1/watch${query}`,
      { headers, signal: controller.signal });
    if (!response.ok) {
      // 404: a server without the watch route; 401/403: the token may not watch. Neither heals by retrying fast.
      onStatus('unavailable', `watch answered ${response.status}`);
      return response.status === 401 || response.status === 403 || response.status === 404 ? 'stop' : 'retry';
    }
    onStatus('live');
    retry = RETRY_MIN_MS;
    parser.reset();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'retry';
      parser.feed(value);
    }
  }

  (async () => {
    while (!controller.signal.aborted) {
      let outcome;
      try {
        outcome = await once();
      } catch (e) {
        if (controller.signal.aborted) return;
        outcome = 'retry';
      }
      if (outcome === 'stop') return;
      onStatus('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, retry));
      retry = Math.min(retry * 2, RETRY_MAX_MS);
    }
  })();
  return () => controller.abort();
}
