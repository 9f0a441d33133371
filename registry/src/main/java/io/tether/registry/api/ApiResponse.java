package io.tether.registry.api;

/** What a handler answers: a status, a JSON body (or null) and the ETag revision (or null). */
record ApiResponse(int status, Object body, Long etag) {
  static ApiResponse ok(Object body, long etag) {
    return new ApiResponse(200, body, etag);
  }

  static ApiResponse ok(Object body) {
    return new ApiResponse(200, body, null);
  }

  static ApiResponse noContent() {
    return new ApiResponse(204, null, null);
  }
}
