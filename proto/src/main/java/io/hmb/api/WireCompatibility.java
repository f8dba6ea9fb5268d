package io.hmb.api;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds changes that break wire compatibility between a committed API baseline and the current
 * descriptors: a removed or renumbered field (unless its number is reserved), a changed field type or
 * cardinality, a removed enum value (unless reserved), a removed message, enum, service or RPC, or an
 * RPC whose request, response or streaming changed. Renames are wire-compatible and allowed.
 */
public final class WireCompatibility {

  private WireCompatibility() {}

  /** Every breaking change, one line each; empty when the current API is compatible. */
  public static List<String> breakingChanges(FileDescriptorSet baseline, FileDescriptorSet current) {
    Index was = new Index(baseline);
    Index now = new Index(current);
    List<String> problems = new ArrayList<>();
    was.messages.forEach((name, old) -> {
      DescriptorProto neu = now.messages.get(name);
      if (neu == null) {
        problems.add("message " + name + " was removed");
      } else {
        compareFields(name, old, neu, problems);
      }
    });
    was.enums.forEach((name, old) -> {
      EnumDescriptorProto neu = now.enums.get(name);
      if (neu == null) {
        problems.add("enum " + name + " was removed");
        return;
      }
      for (EnumValueDescriptorProto value : old.getValueList()) {
        boolean kept = neu.getValueList().stream().anyMatch(v -> v.getNumber() == value.getNumber());
        boolean reserved = neu.getReservedRangeList().stream()
            .anyMatch(r -> value.getNumber() >= r.getStart() && value.getNumber() <= r.getEnd());
        if (!kept && !reserved) {
          problems.add("enum value " + name + "." + value.getName() + " = " + value.getNumber()
              + " was removed without reserving its number");
        }
      }
    });
    was.services.forEach((name, old) -> {
      ServiceDescriptorProto neu = now.services.get(name);
      if (neu == null) {
        problems.add("service " + name + " was removed");
        return;
      }
      for (MethodDescriptorProto method : old.getMethodList()) {
        MethodDescriptorProto match = neu.getMethodList().stream()
            .filter(m -> m.getName().equals(method.getName())).findFirst().orElse(null);
        String rpc = "rpc " + name + "." + method.getName();
        if (match == null) {
          problems.add(rpc + " was removed");
        } else if (!match.getInputType().equals(method.getInputType())
            || !match.getOutputType().equals(method.getOutputType())) {
          problems.add(rpc + " changed its request or response type");
        } else if (match.getClientStreaming() != method.getClientStreaming()
            || match.getServerStreaming() != method.getServerStreaming()) {
          problems.add(rpc + " changed streaming");
        }
      }
    });
    return problems;
  }

  private static void compareFields(String message, DescriptorProto old, DescriptorProto neu,
      List<String> problems) {
    Map<Integer, FieldDescriptorProto> byNumber = new HashMap<>();
    neu.getFieldList().forEach(f -> byNumber.put(f.getNumber(), f));
    for (FieldDescriptorProto field : old.getFieldList()) {
      String where = "field " + message + "." + field.getName() + " = " + field.getNumber();
      FieldDescriptorProto match = byNumber.get(field.getNumber());
      if (match == null) {
        boolean reserved = neu.getReservedRangeList().stream()
            .anyMatch(r -> field.getNumber() >= r.getStart() && field.getNumber() < r.getEnd());
        if (!reserved) {
          problems.add(where + " was removed or renumbered without reserving its number");
        }
      } else if (match.getType() != field.getType() || !match.getTypeName().equals(field.getTypeName())) {
        problems.add(where + " changed type from " + typeOf(field) + " to " + typeOf(match));
      } else if (match.getLabel() != field.getLabel()) {
        problems.add(where + " changed cardinality from " + field.getLabel() + " to " + match.getLabel());
      }
    }
  }

  private static String typeOf(FieldDescriptorProto field) {
    return field.getTypeName().isEmpty() ? field.getType().name() : field.getTypeName();
  }

  /** Fully qualified names of every message, enum and service, nested ones included. */
  private static final class Index {
    final Map<String, DescriptorProto> messages = new HashMap<>();
    final Map<String, EnumDescriptorProto> enums = new HashMap<>();
    final Map<String, ServiceDescriptorProto> services = new HashMap<>();

    Index(FileDescriptorSet set) {
      for (FileDescriptorProto file : set.getFileList()) {
        String prefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
        file.getMessageTypeList().forEach(m -> addMessage(prefix, m));
        file.getEnumTypeList().forEach(e -> enums.put(prefix + e.getName(), e));
        file.getServiceList().forEach(s -> services.put(prefix + s.getName(), s));
      }
    }

    private void addMessage(String prefix, DescriptorProto message) {
      String name = prefix + message.getName();
      messages.put(name, message);
      message.getNestedTypeList().forEach(n -> addMessage(name + ".", n));
      message.getEnumTypeList().forEach(e -> enums.put(name + "." + e.getName(), e));
    }
  }
}
