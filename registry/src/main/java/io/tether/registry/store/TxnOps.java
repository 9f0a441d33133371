package io.tether.registry.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.tether.model.ErrorCode;
import io.tether.model.RegistryException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What {@link RegistryStore}'s transactions are made of: compares, puts, options, and readings of reads. */
final class TxnOps {
  static final GetOption PREFIX = GetOption.builder().isPrefix(true).build();
  static final GetOption COUNT_PREFIX = GetOption.builder().isPrefix(true).withCountOnly(true).build();
  static final DeleteOption DELETE_PREFIX = DeleteOption.builder().isPrefix(true).build();

  private TxnOps() {}

  /** The one key read's mod revision; NOT_FOUND, naming {@code what}, when it does not exist. */
  static long requireExists(List<KeyValue> kvs, String what) {
    if (kvs.isEmpty()) {
      throw new RegistryException(ErrorCode.NOT_FOUND, what + " does not exist");
    }
    return kvs.get(0).getModRevision();
  }

  /** The one key read's mod revision; 0 when it does not exist. */
  static long modRevision(List<KeyValue> kvs) {
    return kvs.isEmpty() ? 0 : kvs.get(0).getModRevision();
  }

  /** The key is at this mod revision; revision 0 means the key must not exist. */
  static Cmp atRevision(ByteSequence key, long modRevision) {
    return modRevision == 0 ? absent(key) : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(modRevision));
  }

  static Cmp absent(ByteSequence key) {
    return new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0));
  }

  static Cmp present(ByteSequence key) {
    return new Cmp(key, Cmp.Op.GREATER, CmpTarget.version(0));
  }

  static Op put(ByteSequence key, byte[] value) {
    return Op.put(key, bytes(value), PutOption.DEFAULT);
  }

  static ByteSequence bytes(byte[] value) {
    return ByteSequence.from(value);
  }

  /** A prefix read as {@code key suffix -> value}. */
  static Map<String, String> suffixMap(GetResponse response, ByteSequence prefix) {
    int skip = prefix.size();
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : response.getKvs()) {
      out.put(kv.getKey().substring(skip).toString(UTF_8), kv.getValue().toString(UTF_8));
    }
    return out;
  }
}
