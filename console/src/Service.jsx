import { useEffect, useMemo } from 'preact/hooks';
import { debounce, useApi, useWatch } from './useApi.js';
import { useLiveEndpoints } from './liveEndpoints.js';
import { ErrorBox, Json, LiveBadge, Loading } from './Common.jsx';
import { Link } from './router.jsx';
import { Endpoints } from './Endpoints.jsx';
import { SpecEditor } from './SpecEditor.jsx';

/**
 * One service: its VIPs, its endpoints, its effective policy (?effective=true: the service's values,
 * then its namespace's defaults, then Service Connect's) and the spec editor. Endpoint changes from the
 * watch are applied to the list as they come; a change of the spec reads the spec and the policy again.
 */
export function Service({ ns, svc }) {
  const base = `/v1/namespaces/${ns}/services/${svc}`;
  const stored = useApi(base);
  const effective = useApi(`${base}?effective=true`);
  const summaries = useApi(`/v1/namespaces/${ns}/services`);
  const endpoints = useLiveEndpoints(`${base}/endpoints`);
  const reloadSpec = useMemo(() => debounce(() => {
    stored.reload();
    effective.reload();
    summaries.reload();
  }, 300), [stored.reload, effective.reload, summaries.reload]);
  useEffect(() => reloadSpec.cancel, [reloadSpec]);
  const onChange = (change) => {
    if (change.service !== svc) return;
    if (change.kind === 'endpoint') endpoints.apply(change);
    else if (change.kind === 'service') reloadSpec();
  };
  const live = useWatch(ns, onChange, () => {
    endpoints.reload();
    reloadSpec();
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
      {endpoints.items ? <Endpoints base={`${base}/endpoints`} items={endpoints.items} onChanged={endpoints.apply} />
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
