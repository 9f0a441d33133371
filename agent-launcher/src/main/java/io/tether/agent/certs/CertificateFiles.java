package io.tether.agent.certs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The three PEM files of a proxyless app's certificate provider ({@code --certs-dir}, docs/security.md
 * "Proxyless gRPC"): {@value #CERT} (the leaf and its chain), {@value #KEY} (mode 0600) and
 * {@value #CA} (the trust bundle). Each appears whole or not at all: written to a temporary file in the
 * same directory, then renamed over the old one, so grpc-java's file_watcher never reads half a file.
 */
public final class CertificateFiles {
  public static final String CERT = "cert.pem";
  public static final String KEY = "key.pem";
  public static final String CA = "ca.pem";

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private final Path dir;

  public CertificateFiles(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path cert() {
    return dir.resolve(CERT);
  }

  public Path key() {
    return dir.resolve(KEY);
  }

  public Path ca() {
    return dir.resolve(CA);
  }

  /** Creates the directory (owner only) when it is missing. */
  void prepare() throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }

  void writeKey(String pem) throws IOException {
    replace(KEY, pem, OWNER_ONLY);
  }

  /** A signing's answer: the bundle, then the leaf (the key is written once, {@link #writeKey}). */
  void writeCertificate(String chainPem, String trustBundlePem) throws IOException {
    replace(CA, trustBundlePem, READABLE);
    replace(CERT, chainPem, READABLE);
  }

  /** Deletes the three files (the key first), leaving the directory, which may be the operator's. */
  void remove() throws IOException {
    for (String name : new String[] {KEY, CERT, CA}) {
      Files.deleteIfExists(dir.resolve(name));
    }
  }

  private void replace(String name, String content, Set<PosixFilePermission> mode) throws IOException {
    Path temp = Files.createTempFile(dir, "." + name + ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(temp, mode);
      try {
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(dir + " does not support atomic renames, which the certificate files need", e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
