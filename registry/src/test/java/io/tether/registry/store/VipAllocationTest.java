package io.tether.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.tether.registry.testing.Poll;
import io.tether.registry.testing.ApiClient;
import io.tether.registry.testing.TestEtcd;
import io.tether.registry.testing.TestRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** VIP allocation through the REST API under concurrent service creation, against a real etcd. */
class VipAllocationTest {
  private static final int THREADS = 4;
  private static final int PER_THREAD = 50;

  @Test
  void concurrentlyCreatedServicesGetDistinctUsableVipsAndDeletingOneReleasesIt() throws Exception {
    try (TestRegistry reg = new TestRegistry(TestEtcd.shared().clientUrl())) {
      ApiClient admin = reg.admin();
      assertThat(admin.put("/v1/namespaces/mesh", "{}").status()).isEqualTo(201);

      CyclicBarrier go = new CyclicBarrier(THREADS);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<List<String>>> results = new ArrayList<>();
      try {
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(pool.submit(() -> {
            go.await(10, TimeUnit.SECONDS);
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < PER_THREAD; i++) {
              String name = "s" + thread + "-" + i;
              ApiClient.Response r = admin.put("/v1/namespaces/mesh/services/" + name,
                  "{\"portName\":\"http\",\"appProtocol\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + name
                      + "\",\"port\":8080}]}");
              if (r.status() != 201) {
                failures.add(name + ": " + r);
              }
            }
            return failures;
          }));
        }
        for (Future<List<String>> f : results) {
          assertThat(f.get(60, TimeUnit.SECONDS)).as("failed creates").isEmpty();
        }
      } finally {
        pool.shutdownNow();
      }

      // From the API: one VIP per alias, all distinct and usable.
      ApiClient.Response list = admin.get("/v1/namespaces/mesh/services");
      assertThat(list.status()).isEqualTo(200);
      Map<String, String> apiVips = new HashMap<>();
      for (JsonNode item : list.body().path("items")) {
        JsonNode alias = item.path("clientAliases").get(0);
        apiVips.put(alias.path("dnsName").asText() + ":" + alias.path("port").asInt(), alias.path("vip").asText(null));
      }
      assertThat(apiVips).hasSize(THREADS * PER_THREAD);
      assertThat(apiVips.values()).doesNotContainNull().doesNotHaveDuplicates()
          .allSatisfy(VipAllocatorTest::assertUsable);

      // From etcd: the alias keys agree with the API, and every address is locked by its owner.
      KeyLayout keys = reg.keys();
      Map<String, String> etcdVips = suffixMap(reg, keys.vipsOf("mesh"));
      Map<String, String> owners = suffixMap(reg, keys.vipAddressesOf("mesh"));
      assertThat(etcdVips).isEqualTo(apiVips);
      assertThat(owners).hasSize(THREADS * PER_THREAD);
      etcdVips.forEach((alias, ip) -> assertThat(owners).containsEntry(ip, alias.substring(0, alias.indexOf(':'))));

      // Deleting a service releases its alias and its address; re-creating it gets the same address back.
      String ip = apiVips.get("s2-17:8080");
      assertThat(admin.delete("/v1/namespaces/mesh/services/s2-17").status()).isEqualTo(204);
      assertThat(suffixMap(reg, keys.vipAddressesOf("mesh"))).hasSize(THREADS * PER_THREAD - 1).doesNotContainKey(ip);
      assertThat(suffixMap(reg, keys.vipsOf("mesh"))).doesNotContainKey("s2-17:8080");
      Poll.until(Duration.ofSeconds(2), () -> !reg.server().view().current().vips("mesh").containsKey("s2-17:8080"),
          "the view drops the released alias");
      ApiClient.Response again = admin.put("/v1/namespaces/mesh/services/s2-17",
          "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"s2-17\",\"port\":8080}]}");
      assertThat(again.status()).as(again.toString()).isEqualTo(201);
      assertThat(suffixMap(reg, keys.vipsOf("mesh"))).containsEntry("s2-17:8080", ip);
    }
  }

  @Test
  void servicesWhoseFirstChoiceCollidesStillGetDistinctVipsWhenCreatedConcurrently() throws Exception {
    // Pairs of names that hash to the same first address in namespace "clash".
    Map<String, String> firstChoice = new HashMap<>();
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; pairs.size() < 6; i++) {
      String name = "c" + i;
      String other = firstChoice.putIfAbsent(VipAllocator.allocate("clash/" + name, java.util.Set.of()), name);
      if (other != null) {
        pairs.add(new String[] {other, name});
      }
    }
    try (TestRegistry reg = new TestRegistry(TestEtcd.shared().clientUrl())) {
      ApiClient admin = reg.admin();
      assertThat(admin.put("/v1/namespaces/clash", "{}").status()).isEqualTo(201);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        for (String[] pair : pairs) {
          CyclicBarrier go = new CyclicBarrier(2);
          List<Future<ApiClient.Response>> both = new ArrayList<>();
          for (String name : pair) {
            both.add(pool.submit(() -> {
              go.await(10, TimeUnit.SECONDS);
              return admin.put("/v1/namespaces/clash/services/" + name,
                  "{\"portName\":\"http\",\"clientAliases\":[{\"dnsName\":\"" + name + "\",\"port\":80}]}");
            }));
          }
          for (Future<ApiClient.Response> f : both) {
            ApiClient.Response r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
          }
        }
      } finally {
        pool.shutdownNow();
      }
      Map<String, String> vips = suffixMap(reg, reg.keys().vipsOf("clash"));
      assertThat(vips).hasSize(pairs.size() * 2);
      assertThat(vips.values()).doesNotHaveDuplicates().allSatisfy(VipAllocatorTest::assertUsable);
      assertThat(suffixMap(reg, reg.keys().vipAddressesOf("clash"))).hasSize(pairs.size() * 2);
      for (String[] pair : pairs) {
        String shared = VipAllocator.allocate("clash/" + pair[0], java.util.Set.of());
        assertThat(List.of(vips.get(pair[0] + ":80"), vips.get(pair[1] + ":80")))
            .as("one of %s and %s has the shared first choice", pair[0], pair[1]).contains(shared);
      }
    }
  }

  private static Map<String, String> suffixMap(TestRegistry reg, io.etcd.jetcd.ByteSequence prefix) throws Exception {
    List<KeyValue> kvs = reg.server().etcdClient().getKVClient()
        .get(prefix, GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs();
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey().substring(prefix.size()).toString(UTF_8), kv.getValue().toString(UTF_8));
    }
    return out;
  }
}
