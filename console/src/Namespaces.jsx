import { useApi } from './useApi.js';
import { ErrorBox, Loading } from './Common.jsx';
import { Link } from './router.jsx';

export function Namespaces() {
  const { data, error } = useApi('/v1/namespaces');
  return (
    <section>
      <h1>Namespaces</h1>
      <ErrorBox error={error} />
      {!data ? !error && <Loading what="namespaces" /> : (
        <table data-testid="namespaces">
          <thead><tr><th>Name</th><th>Description</th><th>Services</th></tr></thead>
          <tbody>
            {data.items.map((n) => (
              <tr key={n.name} data-testid={`namespace-${n.name}`}>
                <td><Link to={`/namespaces/${n.name}`}>{n.name}</Link></td>
                <td>{n.description}</td>
                <td class="num">{n.services}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.items.length === 0 && <p class="muted">No namespaces yet: <code>./tether ns create NAME</code>.</p>}
    </section>
  );
}
