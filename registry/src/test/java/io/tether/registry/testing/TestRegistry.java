package io.tether.registry.testing;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.tether.registry.RegistryServer;
import io.tether.registry.api.HttpLimits;
import io.tether.registry.auth.Role;
import io.tether.registry.auth.TokenAuthenticator;
import io.tether.registry.auth.TokenFile;
import io.tether.registry.store.KeyLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real registry server (REST API, store, view) on a free port against a real etcd, under a key
 * prefix of its own, with tokens for each role: admin, reader, and agents of namespaces "a" and "b".
 */
public final class TestRegistry implements AutoCloseable {
  public static final String ADMIN = "admin-token-0123456789";
  public static final String READER = "reader-token-0123456789";
  public static final String AGENT_A = "agent-a-token-0123456789";
  public static final String AGENT_B = "agent-b-token-0123456789";

  private final RegistryServer server;
  private final String prefix;

  public TestRegistry(String etcdUrl) {
    this(List.of(etcdUrl), TestEtcd.uniquePrefix());
  }

  public TestRegistry(List<String> etcdUrls, String prefix) {
    this(etcdUrls, prefix, HttpLimits.defaults());
  }

  public TestRegistry(List<String> etcdUrls, String prefix, HttpLimits limits) {
    this.prefix = prefix;
    TokenAuthenticator tokens = TokenAuthenticator.of(List.of(
        new TokenFile.Entry("admin", ADMIN, Role.ADMIN, null),
        new TokenFile.Entry("reader", READER, Role.READER, null),
        new TokenFile.Entry("agent-a", AGENT_A, Role.AGENT, "a"),
        new TokenFile.Entry("agent-b", AGENT_B, Role.AGENT, "b")));
    server = new RegistryServer(new RegistryServer.Config(etcdUrls, prefix, "127.0.0.1", 0, tokens,
        Duration.ofSeconds(5), limits)).start();
    Poll.until(Duration.ofSeconds(20), () -> server.view().isReady(), "registry view ready");
  }

  public RegistryServer server() {
    return server;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.apiPort();
  }

  public ApiClient admin() {
    return new ApiClient(baseUrl(), ADMIN);
  }

  public ApiClient client(String token) {
    return new ApiClient(baseUrl(), token);
  }

  public KeyLayout keys() {
    return new KeyLayout(prefix);
  }

  /** Everything under this registry's prefix, read straight from etcd: what "etcd is unchanged" compares. */
  public Map<String, String> etcdContents() {
    try {
      ByteSequence root = ByteSequence.from(prefix, StandardCharsets.UTF_8);
      List<KeyValue> kvs = server.etcdClient().getKVClient()
          .get(root, GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs();
      Map<String, String> out = new TreeMap<>();
      kvs.forEach(kv -> out.put(kv.getKey().toString(StandardCharsets.UTF_8) + "@" + kv.getModRevision(),
          kv.getValue().toString(StandardCharsets.UTF_8)));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
