package io.tether.agent.certs;

import io.tether.agent.registry.RegistryCallException;
import io.tether.agent.registry.RegistryClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a proxyless app's certificate files current ({@code tether agent run --proxyless --certs-dir},
 * docs/security.md "Proxyless gRPC"): a key generated here at start, signed by the mesh CA for one
 * identity through the registry, and signed again at half the leaf's remaining life. The key is the same
 * for every renewal of one run, so only {@code cert.pem} (and {@code ca.pem}) change: grpc-java never
 * pairs a new leaf with an old key. A failed signing at start fails the task; a failed renewal is logged
 * and retried with back-off (doubling from 1 s up to a minute) while the files hold a valid leaf.
 * Closing deletes the files.
 *
 * <p>Thread-safety: renewals run on one thread of its own, {@code tether-certificates}.
 */
public final class CertificateKeeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateKeeper.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);
  private static final Duration SOONEST_RENEWAL = Duration.ofSeconds(1);

  private final RegistryClient registry;
  private final CertificateFiles files;
  private final String namespace;
  private final String identity;
  /** What the logs call the identity: {@code ns/name}, or the namespace's anonymous client. */
  private final String subject;
  private final Clock clock;
  private final KeyPairRequest key = KeyPairRequest.generate();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "tether-certificates");
    t.setDaemon(true);
    return t;
  });
  private volatile Instant notAfter;
  private Duration retry = FIRST_RETRY; // confined to the thread

  public CertificateKeeper(RegistryClient registry, CertificateFiles files, String namespace, String identity) {
    this(registry, files, namespace, identity, Clock.systemUTC());
  }

  CertificateKeeper(RegistryClient registry, CertificateFiles files, String namespace, String identity, Clock clock) {
    this.registry = registry;
    this.files = files;
    this.namespace = namespace;
    this.identity = identity;
    this.subject = identity == null ? "the anonymous client of " + namespace : namespace + "/" + identity;
    this.clock = clock;
  }

  /**
   * Writes the key and the first signed leaf, and schedules its renewal.
   *
   * @throws IllegalStateException in one line when the files cannot be written or the CA does not sign
   */
  public CertificateKeeper start() {
    try {
      files.prepare();
      files.writeKey(key.privateKeyPem());
      signAndWrite();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the certificate files in " + files.dir() + ": " + e.getMessage(), e);
    } catch (RegistryCallException e) {
      throw new IllegalStateException("could not get a certificate for " + subject + ": "
          + e.getMessage(), e);
    }
    log.info("certificate for {} written to {} (valid until {})", subject, files.dir(), notAfter);
    schedule(renewalDelay(clock.instant(), notAfter));
    return this;
  }

  /** When the leaf in the files expires. */
  public Instant notAfter() {
    return notAfter;
  }

  /** Stops renewing and deletes the files: the key does not outlive the task on disk. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS); // a renewal in flight must not write after the removal
      files.remove();
    } catch (IOException e) {
      log.warn("could not delete the certificate files in {}: {}", files.dir(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Half of the life a leaf has left, at least a second: renewals never spin. */
  static Duration renewalDelay(Instant now, Instant notAfter) {
    Duration half = Duration.between(now, notAfter).dividedBy(2);
    return half.compareTo(SOONEST_RENEWAL) < 0 ? SOONEST_RENEWAL : half;
  }

  private void signAndWrite() throws IOException {
    RegistryClient.SignedCertificate signed = registry.signCertificate(namespace, identity, key.csrPem());
    files.writeCertificate(signed.certificateChain(), signed.trustBundle());
    notAfter = signed.notAfter();
  }

  private void renew() {
    try {
      signAndWrite();
      retry = FIRST_RETRY;
      log.info("certificate for {} renewed (valid until {})", subject, notAfter);
      schedule(renewalDelay(clock.instant(), notAfter));
    } catch (IOException | RuntimeException e) {
      log.warn("renewing the certificate for {} failed, retrying in {} s (the current one is valid until {}): {}",
          subject, retry.toSeconds(), notAfter, e.getMessage());
      schedule(retry);
      retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
    }
  }

  private void schedule(Duration delay) {
    thread.schedule(this::renew, delay.toMillis(), TimeUnit.MILLISECONDS);
  }
}
