import { useEffect, useMemo } from 'preact/hooks';
import { debounce, useApi, useWatch } from './useApi.js';
import { ErrorBox, Json, LiveBadge, Loading } from './Common.jsx';
import { Link } from './router.jsx';
import { Endpoints } from './Endpoints.jsx';
import { SpecEditor } from './SpecEditor.jsx';

/**
 * One service: its VIPs, its effective policy (?effective=true: the service's values, then its
 * namespace's defaults, then Service Connect's), its endpoints, and the spec editor. Endpoint changes
 * from the watch patch the one row they name; a change of the spec reloads the spec and the policy.
 */
export function Service({ ns, svc }) {
  const base = `/v1/namespaces/${ns}/services/${svc}`;
  const stored = useApi(base);
  const effective = useApi(`${base}?effective=true`);
  const endpoints = useApi(`${base}/endpoints`);
  const summaries = useApi(`/v1/namespaces/${ns}/services`);
  const reloadSpec = useMemo(() => debounce(() => {
    stored.reload();
    effective.reload();
    summaries.reload();
  }, 300), [stored.reload, effective.reload, summaries.reload]);
  useEffect(() => reloadSpec.cancel, [reloadSpec]);
  const live = useWatch(ns, (change) => {
    if (change.service !== svc) return;
    if (change.kind === 'endpoint') {
      endpoints.setData((page) => page && { ...page, items: patched(page.items, change) });
    } else if (change.kind === 'service') {
      reloadSpec();
    }
  });
  const summary = summaries.data && summaries.data.items.find((s) => s.discoveryName === svc);
  return (
    <section>
      <h1>
        <Link to="/">Namespaces</Link> / <Link to={`/namespaces/${ns}`}>{ns}</Link> / {svc} <LiveBadge status={live} />
      </h1>
      <ErrorBox error={stored.error} />
      <h2>Virtual IPs</h2>
      {summary ? <Vips aliases={summary.clientAliases} /> : <Loading what="VIPs" />}
      <h2>Endpoints</h2>
      <ErrorBox error={endpoints.error} />
      {endpoints.data ? <Endpoints base={`${base}/endpoints`} items={endpoints.data.items} onChanged={endpoints.setData} />
        : !endpoints.error && <Loading what="endpoints" />}
      <div class="columns">
        <div>
          <h2>Effective policy</h2>
          <ErrorBox error={effective.error} />
          {effective.data ? <Json value={effective.data} testid="effective-policy" /> : !effective.error && <Loading what="policy" />}
        </div>
        <div>
          <h2>Spec</h2>
          {stored.data && <SpecEditor path={base} stored={stored.data} etag={stored.etag} onApplied={reloadSpec} />}
        </div>
      </div>
    </section>
  );
}

function Vips({ aliases }) {
  if (aliases.length === 0) return <p class="muted">No client aliases: callers cannot reach it by name.</p>;
  return (
    <table data-testid="vips">
      <thead><tr><th>Alias</th><th>VIP</th></tr></thead>
      <tbody>
        {aliases.map((a) => <tr key={`${a.dnsName}:${a.port}`}><td>{a.dnsName}:{a.port}</td><td><code>{a.vip || '-'}</code></td></tr>)}
      </tbody>
    </table>
  );
}

/** The endpoint list with one watch change applied: a put replaces or adds its row, a delete removes it. */
export function patched(items, change) {
  const rest = items.filter((e) => e.id !== change.id);
  if (change.op === 'delete' || !change.value) return rest;
  return [...rest, { ...change.value, id: change.id, modRevision: change.revision }]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
