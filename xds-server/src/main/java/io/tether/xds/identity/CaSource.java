package io.tether.xds.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.tether.model.json.Json;
import io.tether.registry.store.CaStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the mesh CA comes from (docs/security.md "The CA"): the operator's files, never written to etcd,
 * or the record at {@code ca/root}, created by the first replica to start. Every failure is an
 * {@link IllegalArgumentException} with a one-line message that names no key material.
 */
public final class CaSource {
  private CaSource() {}

  /** {@code --ca-cert FILE --ca-key FILE}: a root, or an intermediate with its chain after it. */
  public static MeshCa given(Path certFile, Path keyFile, Instant now) {
    List<X509Certificate> chain = Pem.certificates(read(certFile, "--ca-cert"), "--ca-cert " + certFile);
    PrivateKey key = Pem.privateKey(read(keyFile, "--ca-key"), "--ca-key " + keyFile);
    try {
      return MeshCa.of(chain, key, now);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (--ca-cert " + certFile + ", --ca-key " + keyFile + ")");
    }
  }

  /**
   * The CA in etcd, generated and stored first when there is none. Two replicas starting at once both
   * generate, one record wins, and both answer it.
   */
  public static MeshCa generated(CaStore store, CaKeyCipher cipher, String trustDomain, Instant now) {
    MeshCa fresh = MeshCa.generate(trustDomain, now);
    String certPem = Pem.write(fresh.certificate());
    byte[] aad = certPem.getBytes(StandardCharsets.UTF_8);
    byte[] sealed = cipher.encrypt(fresh.key().getEncoded(), aad);
    byte[] record = Json.write(Map.of("certificate", certPem, "encryptedKey", Base64.getEncoder().encodeToString(sealed),
        "keyEncryption", "AES-256-GCM"));
    byte[] stored;
    try {
      stored = store.createIfAbsent(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted while reading the mesh CA from etcd");
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalArgumentException("cannot read or create the mesh CA in etcd (ca/root): "
          + (e.getCause() == null ? "timed out" : e.getCause().getMessage()));
    }
    return open(stored, cipher, now);
  }

  /** The CA of a stored record, its key decrypted. */
  static MeshCa open(byte[] record, CaKeyCipher cipher, Instant now) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(record);
    } catch (IOException e) {
      throw new IllegalArgumentException("the mesh CA record in etcd (ca/root) is not JSON");
    }
    String certPem = json.path("certificate").asText("");
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(json.path("encryptedKey").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the mesh CA record in etcd (ca/root) has a malformed encryptedKey");
    }
    List<X509Certificate> chain = Pem.certificates(certPem, "the mesh CA record in etcd (ca/root)");
    byte[] pkcs8;
    try {
      pkcs8 = cipher.decrypt(sealed, certPem.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the mesh CA key in etcd (ca/root) does not decrypt with "
          + "--ca-key-encryption-key-file: it is not the key this mesh's CA was created with");
    }
    return MeshCa.of(chain, pkcs8Key(pkcs8), now);
  }

  private static PrivateKey pkcs8Key(byte[] pkcs8) {
    try {
      return java.security.KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalArgumentException("the mesh CA key in etcd (ca/root) is not an EC private key");
    }
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + option + " " + file);
    }
  }

  /** The shortest --leaf-ttl: a renewal at half life must have time to reach the proxies. */
  public static final Duration MIN_LEAF_TTL = Duration.ofSeconds(10);
}
