import { usePolled } from './useApi.js';
import { ErrorBox, Loading } from './Common.jsx';

const REFRESH_MS = 5000;

/** The control plane at a glance (GET /v1/status): replicas, etcd members, proxies by state, the view. */
export function Status() {
  const { data, error } = usePolled('/v1/status', REFRESH_MS);
  return (
    <section>
      <h1>Status</h1>
      <ErrorBox error={error} />
      {!data ? !error && <Loading what="status" /> : <StatusTables s={data} />}
    </section>
  );
}

function StatusTables({ s }) {
  const members = (s.etcd && s.etcd.members) || [];
  const byState = (s.proxies && s.proxies.byState) || {};
  return (
    <div data-testid="status">
      <p>Tether {s.version}, answered by {s.replica}; registry view at revision {s.view.revision}
        {s.view.revisionLag ? `, ${s.view.revisionLag} behind etcd` : ''}, {s.view.ready ? 'ready' : 'not ready'}.</p>
      <h2>Proxies</h2>
      <p>{s.proxies.total} connected: {Object.entries(byState).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}.</p>
      <h2>Replicas</h2>
      <table>
        <thead><tr><th>Replica</th><th>API</th><th>Version</th><th>Started</th></tr></thead>
        <tbody>{s.replicas.map((r) => <tr key={r.id}><td>{r.id}</td><td><code>{r.apiUrl}</code></td><td>{r.version}</td><td>{r.startedAt}</td></tr>)}</tbody>
      </table>
      {s.unreachableReplicas.length > 0 && <ErrorBox error={{ code: 'UNREACHABLE', message: s.unreachableReplicas.map((r) => `${r.id}: ${r.error}`).join('; ') }} />}
      <h2>etcd {s.etcd.healthy ? '' : '(unhealthy)'}</h2>
      {s.etcd.error && <ErrorBox error={{ code: 'ETCD', message: s.etcd.error }} />}
      <table>
        <thead><tr><th>Member</th><th>Client URLs</th><th>Health</th><th>Leader</th><th>Version</th><th>DB size</th></tr></thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <td>{m.name} <span class="muted">{m.id}</span></td><td><code>{m.clientUrls.join(' ')}</code></td>
              <td>{m.healthy ? 'healthy' : `unhealthy: ${m.errors.join('; ')}`}</td><td>{m.leader ? 'yes' : ''}</td>
              <td>{m.version}</td><td class="num">{m.dbSizeBytes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
