package io.tether.registry.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The etcd cluster's members and the health of each, for {@code /v1/status}: the member list (Cluster
 * API), then every member's own status (Maintenance API) asked in parallel at its first client URL, each
 * within the timeout. A member that does not answer is unhealthy, with why; the list itself failing
 * fails the future.
 */
public final class EtcdMembers {
  private EtcdMembers() {}

  /** One member: who it is and, when it answered, its version, database size and whether it leads. */
  public record MemberStatus(String id, String name, List<String> clientUrls, List<String> peerUrls,
      boolean learner, boolean healthy, Boolean leader, String version, Long dbSizeBytes, List<String> errors) {}

  public static CompletableFuture<List<MemberStatus>> check(Client client, Duration timeout) {
    return client.getClusterClient().listMember().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenCompose(list -> {
          List<CompletableFuture<MemberStatus>> each = new ArrayList<>();
          for (Member m : list.getMembers()) {
            each.add(status(client, m, timeout));
          }
          return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
              .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
        });
  }

  private static CompletableFuture<MemberStatus> status(Client client, Member m, Duration timeout) {
    List<String> clientUrls = m.getClientURIs().stream().map(URI::toString).toList();
    List<String> peerUrls = m.getPeerURIs().stream().map(URI::toString).toList();
    String id = Long.toHexString(m.getId());
    if (clientUrls.isEmpty()) {
      return CompletableFuture.completedFuture(new MemberStatus(id, m.getName(), clientUrls, peerUrls, m.isLearner(),
          false, null, null, null, List.of("the member has not started: it has no client URL")));
    }
    return client.getMaintenanceClient().statusMember(clientUrls.get(0))
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((StatusResponse s, Throwable failed) -> failed != null
            ? new MemberStatus(id, m.getName(), clientUrls, peerUrls, m.isLearner(), false, null, null, null,
                List.of("no status within " + timeout.toMillis() + " ms: " + message(failed)))
            : new MemberStatus(id, m.getName(), clientUrls, peerUrls, m.isLearner(), s.getErrorList().isEmpty(),
                s.getLeader() == m.getId(), s.getVersion(), s.getDbSize(), List.copyOf(s.getErrorList())));
  }

  private static String message(Throwable t) {
    Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
