package io.tether.xds.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM under the key of {@code --ca-key-encryption-key-file} (the JDK's javax.crypto): what the
 * generated CA's private key is kept in etcd as. The file holds 32 random bytes in base64, one line.
 * The certificate is the associated data, so a key record moved onto another certificate does not
 * decrypt.
 */
public final class CaKeyCipher {
  private static final int NONCE_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private CaKeyCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** Reads a key file; a missing, unreadable or malformed one is an {@link IllegalArgumentException} naming the file only. */
  public static CaKeyCipher fromFile(Path file) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the CA key encryption key file " + file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the CA key encryption key file " + file + " is not base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException("the CA key encryption key file " + file
          + " must hold 32 bytes in base64 (an AES-256 key; e.g. openssl rand -base64 32)");
    }
    return new CaKeyCipher(raw);
  }

  /**
   * Writes a new random key file, readable by its owner only, unless one is there; returns the cipher of
   * the file as it then is. The file appears whole or not at all, and of two racing callers one key wins
   * (a hard link to a finished temporary file fails when the name is taken).
   */
  public static CaKeyCipher createIfAbsent(Path file) {
    if (!Files.exists(file)) {
      byte[] raw = new byte[32];
      RANDOM.nextBytes(raw);
      Path dir = file.toAbsolutePath().getParent();
      Path tmp = null;
      try {
        Files.createDirectories(dir);
        tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII);
        Files.createLink(file, tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another caller's key won: use it
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot write the CA key encryption key file " + file + ": " + e.getMessage());
      } finally {
        deleteQuietly(tmp);
      }
    }
    return fromFile(file);
  }

  private static void deleteQuietly(Path tmp) {
    if (tmp != null) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a leftover temporary file holds a key nobody uses
      }
    }
  }

  /** nonce ‖ ciphertext ‖ tag. */
  byte[] encrypt(byte[] plain, byte[] associated) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(associated);
      byte[] sealed = c.doFinal(plain);
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available", e);
    }
  }

  /** The plain text; an {@link IllegalArgumentException} when this key (or the associated data) is not the one it was sealed with. */
  byte[] decrypt(byte[] sealed, byte[] associated) {
    if (sealed.length <= NONCE_BYTES) {
      throw new IllegalArgumentException("the encrypted CA key is truncated");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
      c.updateAAD(associated);
      return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("the CA key in etcd does not decrypt with this encryption key");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is not available", e);
    }
  }
}
