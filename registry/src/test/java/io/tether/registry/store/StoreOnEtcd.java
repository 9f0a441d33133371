package io.tether.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.model.AppProtocol;
import io.tether.model.ClientAlias;
import io.tether.model.Endpoint;
import io.tether.model.ErrorCode;
import io.tether.model.Namespace;
import io.tether.model.RegistryException;
import io.tether.model.ServicePolicy;
import io.tether.model.ServiceSpec;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.testing.TestEtcd;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the store's contract tests share: one etcd client on the shared etcd for the test class, a fresh
 * {@link RegistryStore} under a key prefix of its own before each test, and ways to look at what a write
 * left in etcd. Register it as a static field: {@code @RegisterExtension static final StoreOnEtcd etcd =
 * new StoreOnEtcd();}, then {@code etcd.store()} is this test's store.
 */
final class StoreOnEtcd implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private Client client;
  private SimpleMeterRegistry meters;
  private KeyLayout keys;
  private RegistryStore store;

  @Override
  public void beforeAll(ExtensionContext context) {
    client = EtcdClients.connect(List.of(TestEtcd.shared().clientUrl()));
    meters = new SimpleMeterRegistry();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    keys = new KeyLayout(TestEtcd.uniquePrefix());
    store = new RegistryStore(client, keys, meters, Duration.ofSeconds(5));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (client != null) {
      client.close();
    }
  }

  /** This test's store, under its own prefix. */
  RegistryStore store() {
    return store;
  }

  /** The key layout of this test's prefix. */
  KeyLayout keys() {
    return keys;
  }

  /** The meters every store of the class records its etcd calls in. */
  SimpleMeterRegistry meters() {
    return meters;
  }

  /** Every key under the prefix (without it) and its value. */
  Map<String, String> contents() {
    List<KeyValue> kvs = await(client.getKVClient().get(keys.root(), GetOption.builder().isPrefix(true).build())).getKvs();
    Map<String, String> out = new TreeMap<>();
    kvs.forEach(kv -> out.put(kv.getKey().toString(UTF_8).substring(keys.prefix().length()), kv.getValue().toString(UTF_8)));
    return out;
  }

  Optional<KeyValue> get(ByteSequence key) {
    return await(client.getKVClient().get(key)).getKvs().stream().findFirst();
  }

  /** Creates namespace {@code ns} without a precondition; returns its revision. */
  long createNamespace(String ns) {
    return await(store.putNamespace(new Namespace(ns, null, null), Precondition.NONE)).revision();
  }

  /** The future's value within 10 s; a failure as the RuntimeException it completed with. */
  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that {@code call} is refused with {@code code} and exactly {@code message}. */
  static void refused(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessage(message);
  }

  /** An HTTP service named {@code name} with these aliases and no policy. */
  static ServiceSpec service(String name, ClientAlias... aliases) {
    return new ServiceSpec(name, "http", AppProtocol.HTTP, List.of(aliases), null, ServicePolicy.EMPTY);
  }

  /** An endpoint on {@code address}:8080 of task "task", under {@code leaseId} (null: none). */
  static Endpoint endpoint(String address, Long leaseId) {
    return new Endpoint(address, 8080, null, null, "task", null, Map.of(), leaseId);
  }
}
