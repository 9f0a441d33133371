package io.tether.model;

import java.util.List;

/**
 * What a call must look like for a {@link RouteRule} to take it: every condition given must hold. Absent
 * lists stay null (absent means any; an empty list is refused by validation).
 */
public record RouteMatch(PathMatch path, List<String> methods, List<HeaderMatch> headers, List<QueryMatch> queryParams) {
  public RouteMatch {
    methods = methods == null ? null : Lists.copyKeepingNulls(methods);
    headers = headers == null ? null : Lists.copyKeepingNulls(headers);
    queryParams = queryParams == null ? null : Lists.copyKeepingNulls(queryParams);
  }

  public List<String> methodsOrAny() {
    return methods == null ? List.of() : methods;
  }

  public List<HeaderMatch> headersOrAny() {
    return headers == null ? List.of() : headers;
  }

  public List<QueryMatch> queryParamsOrAny() {
    return queryParams == null ? List.of() : queryParams;
  }
}
