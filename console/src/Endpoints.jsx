import { useState } from 'preact/hooks';
import { call } from './api.js';
import { ErrorBox, Health } from './Common.jsx';

/**
 * Endpoints with health, zone and drained state, and the operator's drain and undrain:
 * PUT and DELETE …/endpoints/{id}/drain. A drained endpoint keeps its registration but gets no new
 * traffic. {@code onChanged(change)} takes the endpoint as the drain answered it.
 */
export function Endpoints({ base, items, onChanged }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const toggle = async (e) => {
    setBusy(e.id);
    setError(null);
    try {
      const r = await call(e.drained ? 'DELETE' : 'PUT', `${base}/${e.id}/drain`);
      // Shown at once; the watch brings the same change, and whatever follows it.
      if (r.body) onChanged({ local: true, op: 'put', id: e.id, value: r.body });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };
  if (items.length === 0) return <p class="muted">No endpoints registered.</p>;
  return (
    <>
      <ErrorBox error={error} />
      <table data-testid="endpoints">
        <thead><tr><th>ID</th><th>Address</th><th>Zone</th><th>Health</th><th>Drained</th><th>Host</th><th /></tr></thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} data-testid={`endpoint-${e.id}`} class={e.drained ? 'drained' : ''}>
              <td>{e.id}</td>
              <td><code>{e.address}:{e.port}</code></td>
              <td>{e.zone || '-'}</td>
              <td><Health value={e.health} /></td>
              <td data-testid="drained">{e.drained ? 'yes' : 'no'}</td>
              <td>{e.host || '-'}</td>
              <td>
                <button onClick={() => toggle(e)} disabled={busy === e.id} data-testid="drain-toggle">
                  {e.drained ? 'Undrain' : 'Drain'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
