package io.tether.registry.store;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import java.util.Optional;

/**
 * A write's condition on the current mod revision: {@code If-Match: "R"} (must be at R), {@code
 * If-Match: *} (must exist), {@code If-None-Match: *} (must not exist), or none.
 */
public record Precondition(Long ifMatchRevision, boolean mustExist, boolean mustNotExist) {
  public static final Precondition NONE = new Precondition(null, false, false);

  public static Precondition ifMatch(long revision) {
    return new Precondition(revision, false, false);
  }

  public static Precondition ifNoneMatchAny() {
    return new Precondition(null, false, true);
  }

  /** Throws PRECONDITION_FAILED when a resource at {@code currentModRevision} (0: absent) fails it. */
  public void check(long currentModRevision) {
    if (ifMatchRevision != null && ifMatchRevision != currentModRevision) {
      throw new RegistryException(ErrorCode.PRECONDITION_FAILED, currentModRevision == 0
          ? "If-Match " + ifMatchRevision + " but the resource does not exist"
          : "If-Match " + ifMatchRevision + " but the resource is at revision " + currentModRevision);
    }
    if (mustExist && currentModRevision == 0) {
      throw new RegistryException(ErrorCode.PRECONDITION_FAILED, "If-Match * but the resource does not exist");
    }
    if (mustNotExist && currentModRevision != 0) {
      throw new RegistryException(ErrorCode.PRECONDITION_FAILED,
          "If-None-Match * but the resource exists at revision " + currentModRevision);
    }
  }

  /** The compare that enforces this precondition inside a transaction on {@code key}, if any. */
  public Optional<Cmp> compare(ByteSequence key) {
    Cmp cmp = null;
    if (ifMatchRevision != null) {
      cmp = new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(ifMatchRevision));
    } else if (mustExist) {
      cmp = new Cmp(key, Cmp.Op.GREATER, CmpTarget.version(0));
    } else if (mustNotExist) {
      cmp = new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0));
    }
    return Optional.ofNullable(cmp);
  }

  /** True when the caller pinned a revision, so a lost race must be reported rather than retried. */
  public boolean pinsRevision() {
    return ifMatchRevision != null;
  }
}
