package io.tether.xds.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM in and out (Bouncy Castle's reader and writer); a bad input is an {@link IllegalArgumentException} saying what. */
public final class Pem {
  /** Bouncy Castle's provider, used for reading keys only; never registered JVM-wide. */
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private Pem() {}

  /** One object, or several in order, as PEM; a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}). */
  public static String write(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        if (o instanceof PrivateKey key) {
          w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        } else {
          w.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Every certificate of a PEM text, in order; at least one. */
  public static List<X509Certificate> certificates(String pem, String what) {
    List<X509Certificate> out = new ArrayList<>();
    for (Object o : objects(pem, what)) {
      if (o instanceof X509CertificateHolder h) {
        try {
          out.add(new JcaX509CertificateConverter().getCertificate(h));
        } catch (CertificateException e) {
          throw new IllegalArgumentException(what + " holds a certificate that cannot be read: " + e.getMessage());
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(what + " holds no PEM certificate");
    }
    return out;
  }

  /** The one private key of a PEM text (PKCS#8 or a traditional EC/RSA key). */
  public static PrivateKey privateKey(String pem, String what) {
    for (Object o : objects(pem, what)) {
      PrivateKeyInfo info = o instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()
          : o instanceof PrivateKeyInfo i ? i : null;
      if (info != null) {
        return jdkKey(info, what);
      }
    }
    throw new IllegalArgumentException(what + " holds no unencrypted PEM private key");
  }

  /**
   * The key as a JDK key: Bouncy Castle's provider reads any encoding (a SEC1 key may leave its curve
   * out of the PKCS#8 wrapper, which the JDK refuses) and re-encodes it with the curve.
   */
  private static PrivateKey jdkKey(PrivateKeyInfo info, String what) {
    boolean ec = info.getPrivateKeyAlgorithm().getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey);
    try {
      PrivateKey bc = new JcaPEMKeyConverter().setProvider(BC).getPrivateKey(info);
      return KeyFactory.getInstance(ec ? "EC" : "RSA").generatePrivate(new PKCS8EncodedKeySpec(bc.getEncoded()));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(what + " holds a private key that cannot be read (EC or RSA)");
    }
  }

  /** The one PKCS#10 certificate request of a PEM text. */
  public static PKCS10CertificationRequest csr(String pem, String what) {
    for (Object o : objects(pem, what)) {
      if (o instanceof PKCS10CertificationRequest csr) {
        return csr;
      }
    }
    throw new IllegalArgumentException(what + " holds no PEM certificate request (BEGIN CERTIFICATE REQUEST)");
  }

  private static List<Object> objects(String pem, String what) {
    List<Object> out = new ArrayList<>();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      // the message may quote the input, which may be a key: say only where it failed
      throw new IllegalArgumentException(what + " is not valid PEM");
    }
    return out;
  }
}
