// Small pieces every view uses.

export function ErrorBox({ error }) {
  if (!error) return null;
  return (
    <div class="error" role="alert" data-testid="error">
      <strong>{error.code || 'ERROR'}</strong> {error.message}
    </div>
  );
}

export function Loading({ what }) {
  return <p class="muted">Loading {what}…</p>;
}

/** The state of a live watch, so that an operator knows whether the page is following changes. */
export function LiveBadge({ status }) {
  const label = { live: 'live', reconnecting: 'reconnecting…', unavailable: 'not live', connecting: 'connecting…' }[status];
  return <span class={`badge live-${status}`} data-testid="live-status" title="updates from GET /v1/watch">{label}</span>;
}

export function Health({ value }) {
  return <span class={`badge health-${(value || 'unknown').toLowerCase()}`}>{value || 'UNKNOWN'}</span>;
}

export function Json({ value, testid }) {
  return <pre class="json" data-testid={testid}>{JSON.stringify(value, null, 2)}</pre>;
}
