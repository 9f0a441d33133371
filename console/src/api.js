// The REST API as the console calls it: every call is a /v1 call with the bearer token (never a
// cookie), and every failure is the API's JSON error, {"error": {"code", "message", "field"}}.
const TOKEN_KEY = 'tether.token';
const listeners = new Set();

/** Takes a token from the URL fragment (#token=...) once, keeps it for the tab, and drops the fragment. */
export function takeTokenFromFragment() {
  const match = /^#token=(.+)$/.exec(window.location.hash);
  if (match) {
    setToken(decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
  listeners.forEach((l) => l(value));
}

/** Calls {@code listener(token)} whenever the token changes (signed in, signed out, refused). */
export function onTokenChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(field ? `${message} (field ${field})` : message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function authHeaders(extra = {}) {
  return { Authorization: `Bearer ${token()}`, ...extra };
}

/** One API call; resolves {status, body, etag}, rejects with an ApiError. A 401 signs the tab out. */
export async function call(method, path, { body, ifMatch, signal } = {}) {
  const headers = authHeaders(body === undefined ? {} : { 'Content-Type': 'application/json' });
  if (ifMatch) {
    headers['If-Match'] = ifMatch;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'UNREACHABLE', `the server did not answer: ${e.message}`);
  }
  const text = await response.text();
  const json = text ? parseJson(text) : null;
  if (!response.ok) {
    const error = json && json.error ? json.error : { code: `HTTP_${response.status}`, message: text || response.statusText };
    if (response.status === 401) {
      setToken(null);
    }
    throw new ApiError(response.status, error.code, error.message, error.field);
  }
  return { status: response.status, body: json, etag: response.headers.get('ETag') };
}

export const get = (path, options) => call('GET', path, options);

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A path segment as the API expects it: names are plain, but never trust them into a URL unescaped. */
export const seg = (name) => encodeURIComponent(name);
