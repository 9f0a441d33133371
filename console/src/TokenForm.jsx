import { useState } from 'preact/hooks';
import { get, setToken } from './api.js';
import { ErrorBox } from './Common.jsx';

/**
 * Asks for a bearer token (see the README, "Tokens") and checks it with one read before keeping it in
 * this tab's sessionStorage. The page itself holds no data.
 */
export function TokenForm() {
  const [value, setValue] = useState('');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    const candidate = value.trim();
    if (!candidate) {
      setError({ code: 'TOKEN', message: 'enter a token: tether server prints one on first start (.tether/admin.token)' });
      return;
    }
    sessionStorage.setItem('tether.token', candidate);
    try {
      await get('/v1/namespaces');
      setToken(candidate);
    } catch (failure) {
      // 403: a valid token that may not list namespaces (an agent's): it may still read its own.
      if (failure.status === 403) return setToken(candidate);
      sessionStorage.removeItem('tether.token');
      setError(failure);
    }
  };
  return (
    <form class="token" onSubmit={submit} data-testid="token-form">
      <h1>Sign in</h1>
      <p>The console calls the REST API with a bearer token. It is kept in this tab only.</p>
      <label>Token <input type="password" value={value} onInput={(e) => setValue(e.currentTarget.value)}
        autocomplete="off" data-testid="token-input" /></label>
      <button type="submit">Sign in</button>
      <ErrorBox error={error} />
    </form>
  );
}
