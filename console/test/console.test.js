// The console's logic that needs no browser, under node's own test runner (npm test; Maven runs it in
// the console module's test phase). The browser test is e2e/console.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patched } from '../src/liveEndpoints.js';
import { format, parse, specDiff } from '../src/specText.js';
import { syncState } from '../src/sync.js';
import { match } from '../src/routes.js';
import { serviceKind } from '../src/serviceKind.js';

const ep = (id, extra = {}) => ({ id, address: '10.0.0.1', port: 1, health: 'HEALTHY', ...extra });

test('a put replaces its endpoint, adds a new one in id order, and a delete removes it', () => {
  const items = [ep('a'), ep('c')];
  assert.deepEqual(patched(items, { op: 'put', id: 'b', value: { address: '10.0.0.2', port: 2 } }).map((e) => e.id), ['a', 'b', 'c']);
  assert.equal(patched(items, { op: 'put', id: 'a', value: { drained: true } }).find((e) => e.id === 'a').drained, true);
  assert.deepEqual(patched(items, { op: 'delete', id: 'a', value: null }).map((e) => e.id), ['c']);
  assert.deepEqual(items.map((e) => e.id), ['a', 'c'], 'the list read is not changed');
});

test('the diff is between specs, not notations: a YAML edit of one field is one line out, one in', () => {
  const stored = { discoveryName: 'payments', timeout: { perRequestTimeoutSeconds: 5 } };
  const edited = parse(format(stored, 'yaml').replace('perRequestTimeoutSeconds: 5', 'perRequestTimeoutSeconds: 7'), 'yaml');
  const changed = specDiff(stored, edited).filter((l) => l.kind !== 'same');
  assert.deepEqual(changed, [
    { kind: 'remove', text: '    "perRequestTimeoutSeconds": 5' },
    { kind: 'add', text: '    "perRequestTimeoutSeconds": 7' },
  ]);
  assert.equal(specDiff(stored, stored).every((l) => l.kind === 'same'), true);
});

test('text that is not a spec object is an error that says so', () => {
  assert.match(parse('{"discoveryName": ', 'json').message, /^not valid JSON/);
  assert.match(parse('a: [1', 'yaml').message, /^not valid YAML/);
  assert.match(parse('[1, 2]', 'json').message, /a service spec is an object/);
  assert.match(parse('7', 'yaml').message, /a service spec is an object/);
});

test('sync state per type: the server\'s verdict first, else NACKED, SYNCED, PENDING, or none', () => {
  const stream = {
    ackedVersions: { LDS: 'v1', RDS: '', CDS: 'v3', EDS: 'v4' },
    lastNacks: { CDS: { version: 'v4', message: 'bad cluster', at: '2026-01-01T00:00:00Z' } },
  };
  assert.equal(syncState(stream, 'LDS').state, 'SYNCED');
  assert.equal(syncState(stream, 'RDS').state, 'PENDING');
  assert.equal(syncState(stream, 'CDS').state, 'NACKED');
  assert.equal(syncState(stream, 'CDS').nack.message, 'bad cluster');
  assert.equal(syncState({ ackedVersions: {} }, 'EDS').state, '-');
  assert.equal(syncState({ ...stream, sync: { LDS: 'STALE' } }, 'LDS').state, 'STALE');
  assert.equal(syncState({ ...stream, sync: { LDS: { state: 'STALE' } } }, 'LDS').state, 'STALE');
});

test('paths name views; anything else, a malformed escape too, is no view', () => {
  assert.deepEqual(match('/ui/'), { name: 'namespaces', params: {} });
  assert.deepEqual(match('/ui'), { name: 'namespaces', params: {} });
  assert.deepEqual(match('/ui/namespaces/prod'), { name: 'namespace', params: { ns: 'prod' } });
  assert.deepEqual(match('/ui/namespaces/prod/services/payments'), { name: 'service', params: { ns: 'prod', svc: 'payments' } });
  assert.deepEqual(match('/ui/proxies'), { name: 'proxies', params: {} });
  assert.deepEqual(match('/ui/status'), { name: 'status', params: {} });
  assert.equal(match('/ui/namespaces/%zz').name, 'notFound');
  assert.equal(match('/ui/other').name, 'notFound');
});

test('a service is its protocol, tcp without one, and an import says what it imports', () => {
  assert.equal(serviceKind({ appProtocol: 'grpc' }), 'grpc');
  assert.equal(serviceKind({}), 'tcp');
  assert.equal(serviceKind({ importFrom: { namespace: 'prod', service: 'payments' } }), 'import of prod/payments');
});
