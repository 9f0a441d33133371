// A proxy's sync state per xDS type, as GET /v1/proxies shows a stream.
export const TYPES = ['LDS', 'RDS', 'CDS', 'EDS'];

/**
 * {state, version, nack}: the server's verdict, stream.sync[type] (SYNCED, STALE or NACKED; see
 * docs/operations.md, "Proxies"); from a server without it: NACKED when the client rejected a version
 * of the type, SYNCED when it ACKed one, PENDING before either.
 */
export function syncState(stream, type) {
  const version = (stream.ackedVersions || {})[type] || null;
  const nack = (stream.lastNacks || {})[type] || null;
  const given = stream.sync && stream.sync[type];
  if (given) return { state: typeof given === 'string' ? given : given.state, version, nack };
  if (nack) return { state: 'NACKED', version, nack };
  if (!(type in (stream.ackedVersions || {}))) return { state: '-', version, nack };
  return { state: version ? 'SYNCED' : 'PENDING', version, nack };
}
