package io.tether.registry.store;

import static io.tether.registry.store.StoreOnEtcd.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tether.model.ErrorCode;
import io.tether.model.Namespace;
import io.tether.model.RegistryException;
import io.tether.registry.etcd.EtcdClients;
import io.tether.registry.testing.Ports;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the store calls etcd: every call timed by operation and outcome, an unreachable etcd reported as
 * UNAVAILABLE within the deadline, and etcd's failures translated into the errors the API passes on.
 */
class RegistryStoreEtcdCallsTest {
  @RegisterExtension
  static final StoreOnEtcd etcd = new StoreOnEtcd();

  @Test
  void everyCallIsTimedByOperationAndOutcome() {
    SimpleMeterRegistry meters = etcd.meters();
    etcd.createNamespace("prod");
    assertThatThrownBy(() -> await(etcd.store().leases().lease(424242))).isInstanceOf(RegistryException.class);
    assertThat(meters.get("tether.etcd.requests").tag("op", "txn").tag("outcome", "ok").timer().count()).isPositive();
    assertThat(meters.get("tether.etcd.requests").tag("op", "get").tag("outcome", "ok").timer().count())
        .as("an absent lease is an answer from etcd, not an etcd error").isPositive();
  }

  @Test
  void anUnreachableEtcdIsUnavailableWithinTheDeadline() {
    try (Client dead = EtcdClients.connect(List.of("http://127.0.0.1:" + Ports.free()))) {
      SimpleMeterRegistry deadMeters = new SimpleMeterRegistry();
      RegistryStore unreachable = new RegistryStore(dead, etcd.keys(), deadMeters, Duration.ofMillis(500));
      assertThatThrownBy(() -> await(unreachable.putNamespace(new Namespace("prod", null, null), Precondition.NONE)))
          .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
          .hasMessageStartingWith("etcd ");
      assertThat(deadMeters.get("tether.etcd.requests").tag("op", "read").tag("outcome", "error").timer().count()).isOne();
    }
  }

  @Test
  void failuresAreTranslatedForTheApi() {
    RegistryException own = new RegistryException(ErrorCode.NOT_FOUND, "mine");
    assertThat(EtcdCalls.translate(new CompletionException(own))).isSameAs(own);
    assertThat(EtcdCalls.translate(own)).isSameAs(own);
    RuntimeException timeout = EtcdCalls.translate(new CompletionException(new TimeoutException()));
    assertThat(timeout).isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessage("etcd did not answer in time");
    assertThat(EtcdCalls.translate(new IllegalStateException("etcdserver: requested lease not found")))
        .isInstanceOfSatisfying(RegistryException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(e.field()).isEqualTo("leaseId");
        })
        .hasMessage("lease not found or expired");
    assertThat(EtcdCalls.translate(new IOException("connection refused")))
        .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessage("etcd unavailable: connection refused");
    assertThat(EtcdCalls.translate(new CompletionException(null)))
        .hasMessageStartingWith("etcd unavailable: java.util.concurrent.CompletionException");
    assertThat(EtcdCalls.translate(new IllegalStateException())).hasMessage("etcd unavailable: java.lang.IllegalStateException");
  }
}
