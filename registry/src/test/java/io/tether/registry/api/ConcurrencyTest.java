package io.tether.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Optimistic concurrency through ETags, and the store's invariants under racing writers. */
class ConcurrencyTest {
  private static final int WRITERS = 8;
  private static final int ATTEMPTS = 25;
  private static final int START = 1000;

  private static TestRegistry registry;
  private static ApiClient api;
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    registry = new TestRegistry(TestEtcd.shared().clientUrl());
    api = registry.admin();
    pool = Executors.newFixedThreadPool(WRITERS);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private static String counterService(int value) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"counter\",\"port\":80}],"
        + "\"ingressPortOverride\":" + value + "}";
  }

  private static String service(String dnsName) {
    return "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + dnsName + "\",\"port\":80}]}";
  }

  /** Runs the tasks at once (released together by a latch) and returns their results in order. */
  private static <T> List<T> together(List<Callable<T>> tasks) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(() -> {
        go.await();
        return task.call();
      }));
    }
    go.countDown();
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }

  @Test
  void staleIfMatchIsRejectedWith412AndChangesNothing() {
    api.put("/v1/namespaces/cc-stale", "{}").expect(201);
    String path = "/v1/namespaces/cc-stale/services/counter";
    ApiClient.Response first = api.put(path, counterService(START)).expect(201);
    ApiClient.Response second = api.put(path, counterService(START + 1), "If-Match", first.etag()).expect(200);
    Map<String, String> before = registry.etcdContents();

    ApiClient.Response stalePut = api.put(path, counterService(START + 99), "If-Match", first.etag()).expect(412);
    ApiClient.Response staleDelete = api.delete(path, "If-Match", first.etag()).expect(412);
    ApiClient.Response staleNs = api.put("/v1/namespaces/cc-stale", "{\"description\":\"x\"}", "If-Match", first.etag()).expect(412);

    assertThat(List.of(stalePut, staleDelete, staleNs)).allSatisfy(r ->
        assertThat(r.errorCode()).isEqualTo("PRECONDITION_FAILED"));
    assertThat(registry.etcdContents()).isEqualTo(before);
    ApiClient.Response now = api.get(path).expect(200);
    assertThat(now.etag()).isEqualTo(second.etag());
    assertThat(now.body().path("ingressPortOverride").asInt()).isEqualTo(START + 1);
  }

  /** What one writer saw: the status of every PUT, and the value each successful PUT wrote. */
  private record WriterLog(List<Integer> statuses, List<Integer> written, List<String> etags) {}

  @Test
  void concurrentReadModifyWriteWithIfMatchLosesNoUpdate() throws Exception {
    api.put("/v1/namespaces/cc-counter", "{}").expect(201);
    String path = "/v1/namespaces/cc-counter/services/counter";
    api.put(path, counterService(START)).expect(201);

    List<Callable<WriterLog>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      writers.add(() -> {
        WriterLog log = new WriterLog(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < ATTEMPTS; i++) {
          ApiClient.Response read = api.get(path);
          assertThat(read.status()).as(read.toString()).isEqualTo(200);
          int next = read.body().path("ingressPortOverride").asInt() + 1;
          ApiClient.Response write = api.put(path, counterService(next), "If-Match", read.etag());
          log.statuses().add(write.status());
          if (write.status() == 200) {
            log.written().add(next);
            log.etags().add(write.etag());
          } else {
            assertThat(write.errorCode()).as(write.toString()).isEqualTo("PRECONDITION_FAILED");
          }
        }
        return log;
      });
    }
    List<WriterLog> logs = together(writers);

    List<Integer> statuses = logs.stream().flatMap(l -> l.statuses().stream()).toList();
    List<Integer> written = new ArrayList<>(logs.stream().flatMap(l -> l.written().stream()).toList());
    Set<String> etags = new HashSet<>(logs.stream().flatMap(l -> l.etags().stream()).toList());
    long successes = statuses.stream().filter(s -> s == 200).count();

    assertThat(statuses).hasSize(WRITERS * ATTEMPTS).allMatch(s -> s == 200 || s == 412);
    assertThat(successes).isPositive();
    ApiClient.Response last = api.get(path).expect(200);
    assertThat(last.body().path("ingressPortOverride").asInt())
        .as("final value after %d successful increments", successes).isEqualTo(START + (int) successes);
    // Every success wrote a value no other success wrote: each one built on the one before.
    Collections.sort(written);
    assertThat(written).containsExactlyElementsOf(
        IntStream.rangeClosed(START + 1, START + (int) successes).boxed().toList());
    assertThat(etags).as("every successful write is its own revision").hasSize((int) successes);
    assertThat(etags).contains(last.etag());
  }

  @Test
  void namespaceDeleteRacingServiceCreateNeverOrphansAService() throws Exception {
    int bothExist = 0;
    int neitherExists = 0;
    for (int i = 0; i < 30; i++) {
      String ns = "cc-race-" + i + "-x";
      api.put("/v1/namespaces/" + ns, "{}").expect(201);
      List<ApiClient.Response> rs = together(List.of(
          () -> api.put("/v1/namespaces/" + ns + "/services/svc", service("svc")),
          () -> api.delete("/v1/namespaces/" + ns)));
      ApiClient.Response create = rs.get(0);
      ApiClient.Response delete = rs.get(1);
      assertThat(create.status()).as("create %s", create).isIn(201, 404);
      assertThat(delete.status()).as("delete %s", delete).isIn(204, 409);

      boolean nsInEtcd = !keysOf("namespaces/" + ns).isEmpty();
      List<String> owned = keysOf("services/" + ns + "/", "vips/" + ns + "/", "vipaddrs/" + ns + "/");
      int nsGet = api.get("/v1/namespaces/" + ns).status();
      int svcGet = api.get("/v1/namespaces/" + ns + "/services/svc").status();
      if (nsInEtcd) {
        bothExist++;
        assertThat(create.status()).as("round %d: namespace kept, so the create won (%s / %s)", i, create, delete).isEqualTo(201);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.errorCode()).isEqualTo("FAILED_PRECONDITION");
        assertThat(owned).contains("services/" + ns + "/svc");
        assertThat(nsGet).isEqualTo(200);
        assertThat(svcGet).isEqualTo(200);
      } else {
        neitherExists++;
        assertThat(create.status()).as("round %d: namespace gone, so the create lost (%s / %s)", i, create, delete).isEqualTo(404);
        assertThat(delete.status()).isEqualTo(204);
        assertThat(owned).as("round %d: nothing of the namespace is left in etcd", i).isEmpty();
        assertThat(keysOf("guards/" + ns)).isEmpty();
        assertThat(nsGet).isEqualTo(404);
        assertThat(svcGet).isEqualTo(404);
      }
    }
    assertThat(bothExist + neitherExists).isEqualTo(30);
  }

  @Test
  void concurrentClaimsOfOneAliasHaveExactlyOneWinner() throws Exception {
    api.put("/v1/namespaces/cc-claim", "{}").expect(201);
    List<Callable<ApiClient.Response>> claims = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      String svc = "claimant-" + w;
      claims.add(() -> api.put("/v1/namespaces/cc-claim/services/" + svc, service("shared")));
    }
    List<ApiClient.Response> rs = together(claims);

    assertThat(rs).filteredOn(r -> r.status() == 201).hasSize(1);
    assertThat(rs).filteredOn(r -> r.status() != 201).allSatisfy(r -> {
      assertThat(r.status()).as(r.toString()).isEqualTo(409);
      assertThat(r.errorCode()).isEqualTo("ALREADY_EXISTS");
      assertThat(r.errorField()).isEqualTo("clientAliases[0]");
    });
    assertThat(keysOf("services/cc-claim/")).hasSize(1);
    assertThat(keysOf("vips/cc-claim/")).containsExactly("vips/cc-claim/shared:80");
    assertThat(keysOf("vipaddrs/cc-claim/")).hasSize(1);
  }

  @Test
  void concurrentCreatesInOneNamespaceGetDistinctVips() throws Exception {
    api.put("/v1/namespaces/cc-vips", "{}").expect(201);
    int services = 24;
    List<Callable<ApiClient.Response>> creates = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      String svc = "s" + i;
      creates.add(() -> api.put("/v1/namespaces/cc-vips/services/" + svc, service(svc)));
    }
    List<ApiClient.Response> rs = together(creates);

    assertThat(rs).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
    Map<String, String> etcd = registry.etcdContents();
    String vipPrefix = registry.keys().prefix() + "vips/cc-vips/";
    List<String> vips = etcd.entrySet().stream().filter(e -> e.getKey().startsWith(vipPrefix)).map(Map.Entry::getValue).toList();
    assertThat(vips).hasSize(services).doesNotHaveDuplicates().allMatch(v -> v.startsWith("127.255."));
    assertThat(keysOf("vipaddrs/cc-vips/")).hasSize(services);
  }

  /** Keys (relative to the prefix, without revision) equal to or under the given relative keys. */
  private static List<String> keysOf(String... relative) {
    String prefix = registry.keys().prefix();
    List<String> out = new ArrayList<>();
    for (String k : registry.etcdContents().keySet()) {
      String key = k.substring(prefix.length(), k.lastIndexOf('@'));
      for (String r : relative) {
        if (r.endsWith("/") ? key.startsWith(r) : key.equals(r)) {
          out.add(key);
        }
      }
    }
    return out;
  }
}
