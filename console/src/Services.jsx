import { useLiveList } from './useApi.js';
import { ErrorBox, LiveBadge, Loading } from './Common.jsx';
import { Link } from './router.jsx';
import { serviceKind } from './serviceKind.js';

/**
 * A namespace's services with their aliases, VIPs and endpoint counts. A change in the namespace
 * refetches the list (once per burst of changes): the summary's counts are the server's to compute.
 */
export function Services({ ns }) {
  const list = useLiveList(`/v1/namespaces/${ns}/services`, ns);
  const { live } = list;
  return (
    <section>
      <h1><Link to="/">Namespaces</Link> / {ns} <LiveBadge status={live} /></h1>
      <ErrorBox error={list.error} />
      {!list.data ? !list.error && <Loading what="services" /> : <ServiceTable ns={ns} items={list.data.items} />}
    </section>
  );
}

function ServiceTable({ ns, items }) {
  if (items.length === 0) return <p class="muted">No services in {ns} yet: <code>./tether svc apply -n {ns} -f spec.json</code>.</p>;
  return (
    <table data-testid="services">
      <thead><tr><th>Service</th><th>Protocol</th><th>Aliases</th><th>VIP</th><th>Endpoints</th></tr></thead>
      <tbody>
        {items.map((s) => (
          <tr key={s.discoveryName} data-testid={`service-${s.discoveryName}`}>
            <td><Link to={`/namespaces/${ns}/services/${s.discoveryName}`}>{s.discoveryName}</Link></td>
            <td data-testid="service-kind">{serviceKind(s)}</td>
            <td>{s.clientAliases.map((a) => <div key={`${a.dnsName}:${a.port}`}>{a.dnsName}:{a.port}</div>)}</td>
            <td>{s.clientAliases.map((a) => <div key={`${a.dnsName}:${a.port}`}><code>{a.vip || '-'}</code></div>)}</td>
            <td class="num" data-testid="endpoint-count">{s.healthyEndpoints}/{s.endpoints} healthy</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
