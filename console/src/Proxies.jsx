import { usePolled } from './useApi.js';
import { ErrorBox, Loading } from './Common.jsx';
import { TYPES, syncState } from './sync.js';

// Proxies are not registry state, so the watch does not carry them: the list is read again this often.
const REFRESH_MS = 2000;

/**
 * Every connected Envoy and proxyless client of every replica (GET /v1/proxies), per type its sync state
 * (the server's SYNCED, STALE or NACKED) and the last NACK's text.
 */
export function Proxies() {
  const { data, error } = usePolled('/v1/proxies', REFRESH_MS);
  return (
    <section>
      <h1>Proxies</h1>
      <ErrorBox error={error} />
      {data && <Unreachable replicas={data.unreachableReplicas || []} />}
      {!data ? !error && <Loading what="proxies" /> : <ProxyTable items={data.items} />}
      {data && data.refused.length > 0 && <Refused items={data.refused} />}
    </section>
  );
}

function ProxyTable({ items }) {
  if (items.length === 0) return <p class="muted">No proxy is connected.</p>;
  return (
    <table data-testid="proxies">
      <thead><tr><th>Namespace</th><th>Node</th><th>Kind</th><th>Replica</th><th>Since</th>{TYPES.map((t) => <th key={t}>{t}</th>)}</tr></thead>
      <tbody>
        {items.map(({ replica, stream: s }) => (
          <tr key={`${replica}/${s.streamId}`} data-testid={`proxy-${s.nodeId}`}>
            <td>{s.namespace}</td>
            <td><code>{s.nodeId}</code><div class="muted">{s.userAgent}{s.delta ? ' (delta)' : ''}</div></td>
            <td>{s.kind}{s.zone && <div class="muted" data-testid="zone">zone {s.zone}</div>}</td>
            <td class="nowrap">{replica}</td>
            <td class="nowrap" title={s.connectedAt}>{new Date(s.connectedAt).toLocaleTimeString()}</td>
            {TYPES.map((t) => <SyncCell key={t} type={t} state={syncState(s, t)} />)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SyncCell({ type, state }) {
  return (
    <td data-testid={`sync-${type}`}>
      <span class={`badge sync-${state.state.toLowerCase()}`}>{state.state}</span>
      {state.version && <div class="muted version" title="ACKed version">{state.version}</div>}
      {state.nack && <div class="nack" title={state.nack.at}>{state.nack.message}</div>}
    </td>
  );
}

/** Replicas that did not answer: their proxies are missing from the list, which must say so. */
function Unreachable({ replicas }) {
  if (replicas.length === 0) return null;
  return (
    <div class="error" role="alert" data-testid="unreachable">
      Not listed: the proxies of {replicas.map((r) => `${r.id} (${r.apiUrl}: ${r.error})`).join(', ')}.
    </div>
  );
}

function Refused({ items }) {
  return (
    <>
      <h2>Refused lately</h2>
      <table data-testid="refused">
        <thead><tr><th>Node</th><th>Namespace</th><th>Replica</th><th>Reason</th><th>At</th></tr></thead>
        <tbody>
          {items.map((r, i) => (
            <tr key={i}><td><code>{r.nodeId}</code></td><td>{r.namespace || '-'}</td><td>{r.replica || '-'}</td><td>{r.reason}</td><td>{r.at}</td></tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
