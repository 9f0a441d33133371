// What the services table says a service is (GET /v1/namespaces/{ns}/services items).

/** Its protocol (tcp when it has none, as Service Connect reads it), or, for an import, what it imports. */
export function serviceKind(s) {
  if (s.importFrom) return `import of ${s.importFrom.namespace}/${s.importFrom.service}`;
  return s.appProtocol || 'tcp';
}
