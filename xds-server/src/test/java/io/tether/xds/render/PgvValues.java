package io.tether.xds.render;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;

/** The value rules of protoc-gen-validate, applied to one field value (or element, key, map value). */
final class PgvValues {
  private PgvValues() {}

  static void checkRepeated(FieldDescriptor field, List<?> elements, FieldRules rules, String path, List<String> out) {
    if (!rules.hasRepeated()) {
      return;
    }
    var repeated = rules.getRepeated();
    if (repeated.getIgnoreEmpty() && elements.isEmpty()) {
      return;
    }
    if (repeated.hasMinItems() && elements.size() < repeated.getMinItems()) {
      out.add(path + ": needs at least " + repeated.getMinItems() + " items, has " + elements.size());
    }
    if (repeated.hasMaxItems() && elements.size() > repeated.getMaxItems()) {
      out.add(path + ": allows at most " + repeated.getMaxItems() + " items, has " + elements.size());
    }
    if (repeated.getUnique() && new HashSet<>(elements).size() != elements.size()) {
      out.add(path + ": items must be unique");
    }
    if (repeated.hasItems()) {
      for (int i = 0; i < elements.size(); i++) {
        checkValue(field, elements.get(i), repeated.getItems(), path + "[" + i + "]", out);
      }
    }
  }

  static void checkMap(List<?> entries, FieldRules rules, String path, List<String> out) {
    if (!rules.hasMap()) {
      return;
    }
    var map = rules.getMap();
    if (map.getIgnoreEmpty() && entries.isEmpty()) {
      return;
    }
    if (map.hasMinPairs() && entries.size() < map.getMinPairs()) {
      out.add(path + ": needs at least " + map.getMinPairs() + " pairs, has " + entries.size());
    }
    if (map.hasMaxPairs() && entries.size() > map.getMaxPairs()) {
      out.add(path + ": allows at most " + map.getMaxPairs() + " pairs, has " + entries.size());
    }
    for (Object e : entries) {
      Message entry = (Message) e;
      FieldDescriptor key = entry.getDescriptorForType().findFieldByName("key");
      FieldDescriptor value = entry.getDescriptorForType().findFieldByName("value");
      String at = path + "[" + entry.getField(key) + "]";
      if (map.hasKeys()) {
        checkValue(key, entry.getField(key), map.getKeys(), at + "(key)", out);
      }
      if (map.hasValues()) {
        checkValue(value, entry.getField(value), map.getValues(), at, out);
      }
    }
  }

  /** One value against the type-specific part of its rules; {@code field} describes the value's type. */
  static void checkValue(FieldDescriptor field, Object value, FieldRules rules, String path, List<String> out) {
    switch (rules.getTypeCase()) {
      case STRING -> PgvStrings.checkString((String) value, rules.getString(), path, out);
      case BYTES -> PgvStrings.checkBytes((com.google.protobuf.ByteString) value, rules.getBytes(), path, out);
      case BOOL -> {
        if (rules.getBool().hasConst() && rules.getBool().getConst() != (Boolean) value) {
          out.add(path + ": must be " + rules.getBool().getConst());
        }
      }
      case ENUM -> checkEnum(field, (EnumValueDescriptor) value, rules.getEnum(), path, out);
      case DURATION -> checkDuration((Message) value, rules.getDuration(), path, out);
      case TIMESTAMP -> checkTimestamp((Message) value, rules.getTimestamp(), path, out);
      case ANY -> checkAny((Message) value, rules.getAny(), path, out);
      case REPEATED, MAP, TYPE_NOT_SET -> { }
      default -> checkNumber(field, value, rules, path, out);
    }
  }

  private static void checkEnum(
      FieldDescriptor field, EnumValueDescriptor value, io.envoyproxy.pgv.validate.Validate.EnumRules rules,
      String path, List<String> out) {
    int number = value.getNumber();
    if (rules.hasConst() && rules.getConst() != number) {
      out.add(path + ": must be enum value " + rules.getConst() + ", is " + number);
    }
    if (rules.getDefinedOnly() && field.getEnumType().findValueByNumber(number) == null) {
      out.add(path + ": " + number + " is not a defined value of " + field.getEnumType().getFullName());
    }
    if (rules.getInCount() > 0 && !rules.getInList().contains(number)) {
      out.add(path + ": must be one of " + rules.getInList() + ", is " + number);
    }
    if (rules.getNotInList().contains(number)) {
      out.add(path + ": must not be one of " + rules.getNotInList());
    }
  }

  private static void checkAny(Message any, io.envoyproxy.pgv.validate.Validate.AnyRules rules, String path, List<String> out) {
    if (!any.getDescriptorForType().getFullName().equals("google.protobuf.Any")) {
      return; // an any rule on a plain message field (Envoy has one): only its `required` applies
    }
    String typeUrl = (String) any.getField(any.getDescriptorForType().findFieldByName("type_url"));
    if (rules.getInCount() > 0 && !rules.getInList().contains(typeUrl)) {
      out.add(path + ": type " + typeUrl + " is not one of " + rules.getInList());
    }
    if (rules.getNotInList().contains(typeUrl)) {
      out.add(path + ": type " + typeUrl + " is not allowed");
    }
  }

  private static void checkDuration(Message duration, io.envoyproxy.pgv.validate.Validate.DurationRules rules,
      String path, List<String> out) {
    BigDecimal v = nanos(duration);
    if (rules.hasConst() && v.compareTo(nanos(rules.getConst())) != 0) {
      out.add(path + ": must be " + rules.getConst());
    }
    String range = PgvRange.check(v,
        rules.hasGt() ? nanos(rules.getGt()) : null, rules.hasGte() ? nanos(rules.getGte()) : null,
        rules.hasLt() ? nanos(rules.getLt()) : null, rules.hasLte() ? nanos(rules.getLte()) : null);
    if (range != null) {
      out.add(path + ": duration " + v + " ns must be " + range + " (ns)");
    }
    if (rules.getInCount() > 0 && rules.getInList().stream().noneMatch(d -> nanos(d).compareTo(v) == 0)) {
      out.add(path + ": must be one of the listed durations");
    }
    if (rules.getNotInList().stream().anyMatch(d -> nanos(d).compareTo(v) == 0)) {
      out.add(path + ": must not be one of the listed durations");
    }
  }

  private static void checkTimestamp(Message timestamp, io.envoyproxy.pgv.validate.Validate.TimestampRules rules,
      String path, List<String> out) {
    BigDecimal v = nanos(timestamp);
    if (rules.hasConst() && v.compareTo(nanos(rules.getConst())) != 0) {
      out.add(path + ": must be " + rules.getConst());
    }
    String range = PgvRange.check(v,
        rules.hasGt() ? nanos(rules.getGt()) : null, rules.hasGte() ? nanos(rules.getGte()) : null,
        rules.hasLt() ? nanos(rules.getLt()) : null, rules.hasLte() ? nanos(rules.getLte()) : null);
    if (range != null) {
      out.add(path + ": timestamp must be " + range);
    }
  }

  /**
   * Every numeric rule type (FloatRules … SFixed64Rules) has the same shape, read reflectively: const,
   * lt, lte, gt, gte, in, not_in, ignore_empty. The value is a scalar or a wrapper (UInt32Value …).
   */
  private static void checkNumber(FieldDescriptor field, Object value, FieldRules rules, String path, List<String> out) {
    FieldDescriptor typeField = rules.getOneofFieldDescriptor(FieldRules.getDescriptor().getOneofs().get(0));
    Message numeric = (Message) rules.getField(typeField);
    FieldDescriptor.Type valueType = field.getType();
    Object raw = value;
    if (value instanceof Message wrapper) {
      FieldDescriptor inner = wrapper.getDescriptorForType().findFieldByName("value");
      valueType = inner.getType();
      raw = wrapper.getField(inner);
    }
    BigDecimal v = decimal(raw, valueType);
    if (v == null) {
      out.add(path + ": NaN is never valid for a " + typeField.getName() + " rule");
      return;
    }
    if (flag(numeric, "ignore_empty") && v.signum() == 0) {
      return;
    }
    BigDecimal constant = bound(numeric, "const");
    if (constant != null && v.compareTo(constant) != 0) {
      out.add(path + ": must be " + constant + ", is " + v);
    }
    String range = PgvRange.check(v, bound(numeric, "gt"), bound(numeric, "gte"), bound(numeric, "lt"), bound(numeric, "lte"));
    if (range != null) {
      out.add(path + ": " + v + " must be " + range);
    }
    List<BigDecimal> in = list(numeric, "in");
    if (!in.isEmpty() && in.stream().noneMatch(x -> x.compareTo(v) == 0)) {
      out.add(path + ": " + v + " must be one of " + in);
    }
    if (list(numeric, "not_in").stream().anyMatch(x -> x.compareTo(v) == 0)) {
      out.add(path + ": " + v + " must not be one of " + list(numeric, "not_in"));
    }
  }

  private static boolean flag(Message rules, String name) {
    FieldDescriptor f = rules.getDescriptorForType().findFieldByName(name);
    return f != null && rules.hasField(f) && (Boolean) rules.getField(f);
  }

  private static BigDecimal bound(Message rules, String name) {
    FieldDescriptor f = rules.getDescriptorForType().findFieldByName(name);
    return f != null && rules.hasField(f) ? decimal(rules.getField(f), f.getType()) : null;
  }

  private static List<BigDecimal> list(Message rules, String name) {
    FieldDescriptor f = rules.getDescriptorForType().findFieldByName(name);
    return ((List<?>) rules.getField(f)).stream().map(x -> decimal(x, f.getType())).toList();
  }

  /** Unsigned protobuf types arrive as Java's signed int/long and are read back unsigned. Null for NaN. */
  static BigDecimal decimal(Object raw, FieldDescriptor.Type type) {
    return switch (type) {
      case UINT32, FIXED32 -> BigDecimal.valueOf(Integer.toUnsignedLong((Integer) raw));
      case UINT64, FIXED64 -> new BigDecimal(Long.toUnsignedString((Long) raw));
      case INT32, SINT32, SFIXED32 -> BigDecimal.valueOf((Integer) raw);
      case INT64, SINT64, SFIXED64 -> BigDecimal.valueOf((Long) raw);
      case FLOAT -> Float.isNaN((Float) raw) ? null : new BigDecimal(Float.toString((Float) raw));
      case DOUBLE -> Double.isNaN((Double) raw) ? null : BigDecimal.valueOf((Double) raw);
      default -> throw new IllegalArgumentException("not a number: " + type);
    };
  }

  /** A Duration or Timestamp (generated or dynamic) as nanoseconds. */
  static BigDecimal nanos(Message secondsAndNanos) {
    var type = secondsAndNanos.getDescriptorForType();
    long seconds = (Long) secondsAndNanos.getField(type.findFieldByName("seconds"));
    int nanos = (Integer) secondsAndNanos.getField(type.findFieldByName("nanos"));
    return BigDecimal.valueOf(seconds).multiply(BigDecimal.valueOf(1_000_000_000L)).add(BigDecimal.valueOf(nanos));
  }

}
