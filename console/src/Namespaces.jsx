import { useState } from 'preact/hooks';
import { useLiveList } from './useApi.js';
import { ErrorBox, LiveBadge, Loading } from './Common.jsx';
import { Link, navigate } from './router.jsx';

/**
 * Every namespace the token may read, with its service count. The watch of every namespace reads the
 * list again after a burst of namespace or service changes; endpoint changes do not change it.
 */
export function Namespaces() {
  const { data, error, live } = useLiveList('/v1/namespaces', null, (c) => c.kind !== 'endpoint');
  return (
    <section>
      <h1>Namespaces <LiveBadge status={live} /></h1>
      <ErrorBox error={error} />
      {error && error.status === 403 && <OpenNamespace />}
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

/** For a token that may read one namespace only (an agent's): go to it by name. */
function OpenNamespace() {
  const [name, setName] = useState('');
  const submit = (e) => {
    e.preventDefault();
    if (name.trim()) navigate(`/namespaces/${encodeURIComponent(name.trim())}`);
  };
  return (
    <form class="inline" onSubmit={submit}>
      <label>Namespace <input value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="open-namespace" /></label>
      <button type="submit">Open</button>
    </form>
  );
}
