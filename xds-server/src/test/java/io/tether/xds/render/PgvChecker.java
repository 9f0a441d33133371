package io.tether.xds.render;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TypeRegistry;
import io.envoyproxy.pgv.validate.Validate;
import io.envoyproxy.pgv.validate.Validate.FieldRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks any message against the protoc-gen-validate rules its .proto files declare, as Envoy does
 * when it accepts a resource (a violation there is a NACK), and lists every field set that the
 * protos mark deprecated. Walks reflectively: every set sub-message, every element of repeated and
 * map fields, and every {@code Any} (typed_config, api_listener, …) unpacked with the given
 * registry; an {@code Any} of a type the registry does not know is itself reported, so nothing is
 * skipped unseen.
 *
 * <p>Covers message.required/skip, oneof {@code (validate.required)}, every numeric rule type
 * (const, lt, lte, gt, gte, in, not_in, ignore_empty, exclusive ranges) on scalars and wrappers,
 * bool, string and bytes rules (see {@link PgvValues}), enum const/defined_only/in/not_in, duration
 * and timestamp ranges and required, any required/in/not_in, repeated min/max_items, unique and
 * items, map min/max_pairs, keys and values, and the message-level disabled/ignored options. Not
 * covered: timestamp lt_now/gt_now/within (relative to the clock) and string pattern semantics where
 * RE2 and java.util.regex differ.
 */
public final class PgvChecker {
  private final TypeRegistry types;

  public PgvChecker(TypeRegistry types) {
    this.types = types;
  }

  /** What a walk found: rule violations and deprecated fields in use, each as {@code path: problem}. */
  public record Report(List<String> violations, List<String> deprecated) {}

  public Report check(Message message) {
    Report report = new Report(new ArrayList<>(), new ArrayList<>());
    walk(message, message.getDescriptorForType().getName(), true, report);
    return report;
  }

  public List<String> violations(Message message) {
    return check(message).violations();
  }

  public List<String> deprecated(Message message) {
    return check(message).deprecated();
  }

  private void walk(Message msg, String path, boolean validate, Report report) {
    Descriptor type = msg.getDescriptorForType();
    if (type.getFullName().equals("google.protobuf.Any")) {
      walkAny(msg, path, validate, report);
      return;
    }
    boolean rulesOn = validate
        && !type.getOptions().getExtension(Validate.disabled)
        && !type.getOptions().getExtension(Validate.ignored);
    if (type.getOptions().getDeprecated()) {
      report.deprecated().add(path + ": message type " + type.getFullName() + " is deprecated");
    }
    if (rulesOn) {
      for (OneofDescriptor oneof : type.getRealOneofs()) {
        if (oneof.getOptions().getExtension(Validate.required) && !msg.hasOneof(oneof)) {
          report.violations().add(path + ": oneof " + oneof.getName() + " is required");
        }
      }
    }
    for (FieldDescriptor field : type.getFields()) {
      String fieldPath = path + "." + field.getName();
      boolean set = field.isRepeated() ? msg.getRepeatedFieldCount(field) > 0 : msg.hasField(field);
      if (set) {
        noteDeprecated(msg, field, fieldPath, report);
      }
      FieldRules rules = field.getOptions().hasExtension(Validate.rules)
          ? field.getOptions().getExtension(Validate.rules) : null;
      if (rulesOn && rules != null) {
        checkField(msg, field, rules, fieldPath, report.violations());
      }
      boolean skip = rules != null && rules.getMessage().getSkip();
      if (set && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        recurse(msg, field, fieldPath, rulesOn && !skip, report);
      }
    }
  }

  private void recurse(Message msg, FieldDescriptor field, String path, boolean validate, Report report) {
    if (field.isMapField()) {
      for (Object entry : (List<?>) msg.getField(field)) {
        Message pair = (Message) entry;
        Object value = pair.getField(pair.getDescriptorForType().findFieldByName("value"));
        if (value instanceof Message m) {
          walk(m, path + "[" + pair.getField(pair.getDescriptorForType().findFieldByName("key")) + "]", validate, report);
        }
      }
    } else if (field.isRepeated()) {
      for (int i = 0; i < msg.getRepeatedFieldCount(field); i++) {
        walk((Message) msg.getRepeatedField(field, i), path + "[" + i + "]", validate, report);
      }
    } else {
      walk((Message) msg.getField(field), path, validate, report);
    }
  }

  /** An Any is checked as the message it holds; one the registry cannot unpack is a finding, not a skip. */
  private void walkAny(Message any, String path, boolean validate, Report report) {
    Descriptor anyType = any.getDescriptorForType();
    String typeUrl = (String) any.getField(anyType.findFieldByName("type_url"));
    com.google.protobuf.ByteString value =
        (com.google.protobuf.ByteString) any.getField(anyType.findFieldByName("value"));
    Descriptor packed;
    try {
      packed = types.getDescriptorForTypeUrl(typeUrl);
    } catch (InvalidProtocolBufferException e) {
      report.violations().add(path + ": malformed Any type_url '" + typeUrl + "'");
      return;
    }
    if (packed == null) {
      report.violations().add(path + ": Any of a type the checker's registry does not know: " + typeUrl);
      return;
    }
    try {
      walk(DynamicMessage.parseFrom(packed, value), path + "<" + packed.getName() + ">", validate, report);
    } catch (InvalidProtocolBufferException e) {
      report.violations().add(path + ": Any does not parse as " + packed.getFullName() + ": " + e.getMessage());
    }
  }

  private static void noteDeprecated(Message msg, FieldDescriptor field, String path, Report report) {
    if (field.getOptions().getDeprecated()) {
      report.deprecated().add(path + ": field is deprecated");
    }
    if (field.getJavaType() != FieldDescriptor.JavaType.ENUM) {
      return;
    }
    List<?> values = field.isRepeated() ? (List<?>) msg.getField(field) : List.of(msg.getField(field));
    for (Object v : values) {
      EnumValueDescriptor value = (EnumValueDescriptor) v;
      if (value.getOptions().getDeprecated()) {
        report.deprecated().add(path + ": enum value " + value.getName() + " is deprecated");
      }
    }
  }

  private static void checkField(Message msg, FieldDescriptor field, FieldRules rules, String path, List<String> out) {
    if (field.isMapField()) {
      PgvValues.checkMap((List<?>) msg.getField(field), rules, path, out);
      return;
    }
    if (field.isRepeated()) {
      PgvValues.checkRepeated(field, (List<?>) msg.getField(field), rules, path, out);
      return;
    }
    OneofDescriptor oneof = field.getRealContainingOneof();
    if (oneof != null && msg.getOneofFieldDescriptor(oneof) != field) {
      return; // another member of the oneof (or none) is set: rules apply to the set member only
    }
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (!msg.hasField(field)) {
        if (requiresPresence(rules)) {
          out.add(path + ": is required");
        }
        return;
      }
    } else if (field.hasPresence() && !msg.hasField(field)) {
      return; // proto3 `optional` scalar left unset: PGV validates it only when set
    }
    PgvValues.checkValue(field, msg.getField(field), rules, path, out);
  }

  private static boolean requiresPresence(FieldRules rules) {
    return rules.getMessage().getRequired()
        || (rules.hasAny() && rules.getAny().getRequired())
        || (rules.hasDuration() && rules.getDuration().getRequired())
        || (rules.hasTimestamp() && rules.getTimestamp().getRequired());
  }
}
