import { useEffect, useState } from 'preact/hooks';
import { onTokenChange, setToken, token } from './api.js';
import { Link, useRoute } from './router.jsx';
import { TokenForm } from './TokenForm.jsx';
import { Namespaces } from './Namespaces.jsx';
import { Services } from './Services.jsx';
import { Service } from './Service.jsx';
import { Proxies } from './Proxies.jsx';
import { Status } from './Status.jsx';

export function App() {
  const [signedIn, setSignedIn] = useState(Boolean(token()));
  useEffect(() => onTokenChange((t) => setSignedIn(Boolean(t))), []);
  const route = useRoute();
  return (
    <>
      <header>
        <Link to="/" class="brand">Tether</Link>
        <nav>
          <Link to="/" class={route.name.startsWith('namespace') ? 'active' : ''}>Namespaces</Link>
          <Link to="/proxies" class={route.name === 'proxies' ? 'active' : ''}>Proxies</Link>
          <Link to="/status" class={route.name === 'status' ? 'active' : ''}>Status</Link>
        </nav>
        {signedIn && <button class="link" onClick={() => setToken(null)} data-testid="sign-out">Sign out</button>}
      </header>
      <main>{signedIn ? <View route={route} /> : <TokenForm />}</main>
    </>
  );
}

function View({ route }) {
  const { ns, svc, path } = route.params;
  switch (route.name) {
    case 'namespaces': return <Namespaces />;
    case 'namespace': return <Services ns={ns} key={ns} />;
    case 'service': return <Service ns={ns} svc={svc} key={`${ns}/${svc}`} />;
    case 'proxies': return <Proxies />;
    case 'status': return <Status />;
    default: return <p>No page at <code>/ui{path}</code>. <Link to="/">Namespaces</Link></p>;
  }
}
