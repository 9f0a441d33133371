package io.tether.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A service's canary fields (README "Canaries and test traffic"): {@code subsets} by label, the
 * {@code split} of its default route, and its {@code testTraffic} rules. A destination's subset of this
 * service must be one of its subsets (400); one of another service is the store's to check (409).
 */
final class SubsetValidation {
  static final int MAX_SUBSETS = 16;
  static final int MAX_SUBSET_LABELS = 8;
  static final int MAX_TEST_TRAFFIC = 16;

  private SubsetValidation() {}

  static void traffic(String service, Traffic traffic, AppProtocol protocol) {
    subsets(traffic.subsets());
    Set<String> own = traffic.subsetNames();
    if (!traffic.split().isEmpty()) {
      RouteValidation.destinations("split", traffic.split(), service, own);
    }
    testTraffic(traffic.testTraffic(), service, own, protocol);
  }

  private static void subsets(List<Subset> subsets) {
    if (subsets.size() > MAX_SUBSETS) {
      throw new InvalidSpecException("subsets", "subsets holds at most " + MAX_SUBSETS + " subsets");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < subsets.size(); i++) {
      String field = "subsets[" + i + "]";
      Subset s = subsets.get(i);
      if (s == null) {
        throw new InvalidSpecException(field, field + " must be an object");
      }
      Names.requireLabel(field + ".name", s.name());
      if (!names.add(s.name())) {
        throw new InvalidSpecException(field + ".name", "subset name '" + s.name() + "' is used twice");
      }
      if (s.labels().isEmpty() || s.labels().size() > MAX_SUBSET_LABELS) {
        throw new InvalidSpecException(field + ".labels", field + ".labels must hold 1 to " + MAX_SUBSET_LABELS
            + " labels an endpoint must carry to be in the subset");
      }
      LabelValidation.entries(field + ".labels", s.labels());
    }
  }

  private static void testTraffic(List<TestTrafficRule> rules, String service, Set<String> own, AppProtocol protocol) {
    if (rules.isEmpty()) {
      return;
    }
    if (!protocol.isHttp()) {
      throw new InvalidSpecException("testTraffic", "testTraffic needs an http, http2 or grpc service; this one is "
          + protocol.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (rules.size() > MAX_TEST_TRAFFIC) {
      throw new InvalidSpecException("testTraffic", "testTraffic holds at most " + MAX_TEST_TRAFFIC + " rules");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      String field = "testTraffic[" + i + "]";
      TestTrafficRule rule = rules.get(i);
      if (rule == null) {
        throw new InvalidSpecException(field, field + " must be an object");
      }
      Names.requireLabel(field + ".name", rule.name());
      if (!names.add(rule.name())) {
        throw new InvalidSpecException(field + ".name", "test traffic rule name '" + rule.name() + "' is used twice");
      }
      header(field + ".header", rule.header(), protocol);
      RouteValidation.destinations(field + ".to", rule.to(), service, own);
    }
  }

  /** One header, matched by exact value, prefix or presence: what Service Connect's test traffic rules take. */
  private static void header(String field, HeaderMatch header, AppProtocol protocol) {
    if (header == null) {
      throw new InvalidSpecException(field, field + " is required: the header that marks test traffic");
    }
    if (header.regex() != null || header.invert() != null) {
      throw new InvalidSpecException(field, field + " matches by exact, prefix or present only (use routes for more)");
    }
    RouteMatchValidation.header(field, header, protocol == AppProtocol.GRPC);
  }
}
