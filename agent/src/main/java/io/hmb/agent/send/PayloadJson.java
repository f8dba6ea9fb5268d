package io.hmb.agent.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.hmb.agent.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Payloads in protobuf's canonical JSON mapping, both ways. Reading checks the tree against the message's
 * descriptor first, so that every unknown field and every value of the wrong type is named by its path
 * ({@code payload.person.certNumber}) with what was expected, never with the value (a payload holds personal
 * data; JsonFormat's own messages quote it). Only a tree that passes is handed to {@code JsonFormat.parser()}.
 * Writing is {@code JsonFormat.printer()}: lowerCamel names, int64 as strings, enums as names, defaults omitted.
 */
public final class PayloadJson {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,20}");
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private PayloadJson() {}

  /** One problem of a request: where, and what is wrong, in words that quote no value. */
  public record FieldError(String path, String problem) {}

  /** 400 FIELD_ERRORS listing each problem. */
  public static ApiException fieldErrors(List<FieldError> errors) {
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    ArrayNode fields = details.putArray("fields");
    errors.forEach(e -> fields.addObject().put("path", e.path()).put("problem", e.problem()));
    return new ApiException(400, "FIELD_ERRORS", errors.size() == 1
        ? "the request has a field error: " + errors.get(0).path() + " " + errors.get(0).problem()
        : "the request has " + errors.size() + " field errors (see fields)", details);
  }

  /** A field name as it may be shown: itself when it is a plain identifier, else only its length. */
  static String shownName(String name) {
    return PLAIN_NAME.matcher(name).matches() ? name : "(a field name of " + name.length() + " characters)";
  }

  /** Checks {@code json} against {@code type}, adding each problem under {@code path}, then parses it. */
  static Message parse(JsonNode json, Message defaultInstance, String path, List<FieldError> errors) {
    int before = errors.size();
    check(json, defaultInstance.getDescriptorForType(), path, errors);
    if (errors.size() > before) {
      return null;
    }
    Message.Builder builder = defaultInstance.newBuilderForType();
    try {
      PARSER.merge(json.toString(), builder);
      return builder.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // What the check above does not know (a timestamp out of range, bad base64): the message is not echoed.
      errors.add(new FieldError(path, "is not a valid " + defaultInstance.getDescriptorForType().getFullName()
          + " in protobuf's JSON mapping (a timestamp, duration or bytes value that does not parse?)"));
      return null;
    }
  }

  /** The canonical JSON of a message, as a tree. */
  public static JsonNode print(MessageOrBuilder message) {
    try {
      return io.hmb.agent.send.Json.MAPPER.readTree(PRINTER.print(message));
    } catch (InvalidProtocolBufferException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a payload that JsonFormat cannot print: " + message.getDescriptorForType().getFullName(), e);
    }
  }

  private static void check(JsonNode json, Descriptor type, String path, List<FieldError> errors) {
    if (json.isNull()) {
      return;
    }
    switch (type.getFullName()) {
      case "google.protobuf.Timestamp" -> requireText(json, path, "an RFC 3339 time such as 2025-03-16T08:30:00Z", errors);
      case "google.protobuf.Duration" -> requireText(json, path, "a duration such as 1.5s", errors);
      case "google.protobuf.FieldMask" -> requireText(json, path, "a field mask (comma-separated paths)", errors);
      case "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue", "google.protobuf.Any" -> { }
      default -> {
        if (type.getFile().getPackage().equals("google.protobuf") && type.getName().endsWith("Value")) {
          checkScalar(json, type.findFieldByName("value"), path, errors); // wrappers: the bare value
          return;
        }
        if (!json.isObject()) {
          errors.add(new FieldError(path, "must be a JSON object (" + type.getFullName() + ")"));
          return;
        }
        json.fields().forEachRemaining(e -> {
          FieldDescriptor field = findField(type, e.getKey());
          String at = path + "." + (field == null ? shownName(e.getKey()) : field.getJsonName());
          if (field == null) {
            errors.add(new FieldError(at, "is not a field of " + type.getFullName()));
          } else {
            checkField(e.getValue(), field, at, errors);
          }
        });
      }
    }
  }

  static FieldDescriptor findField(Descriptor type, String name) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(name) || f.getName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static void checkField(JsonNode value, FieldDescriptor field, String path, List<FieldError> errors) {
    if (value.isNull()) {
      return;
    }
    if (field.isMapField()) {
      if (!value.isObject()) {
        errors.add(new FieldError(path, "must be a JSON object (a map)"));
        return;
      }
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      value.fields().forEachRemaining(e -> checkSingle(e.getValue(), valueField, path + "[" + shownName(e.getKey()) + "]", errors));
    } else if (field.isRepeated()) {
      if (!value.isArray()) {
        errors.add(new FieldError(path, "must be a JSON array"));
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        if (value.get(i).isNull()) {
          errors.add(new FieldError(path + "[" + i + "]", "must not be null"));
        } else {
          checkSingle(value.get(i), field, path + "[" + i + "]", errors);
        }
      }
    } else {
      checkSingle(value, field, path, errors);
    }
  }

  private static void checkSingle(JsonNode value, FieldDescriptor field, String path, List<FieldError> errors) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      check(value, field.getMessageType(), path, errors);
    } else {
      checkScalar(value, field, path, errors);
    }
  }

  private static void checkScalar(JsonNode value, FieldDescriptor field, String path, List<FieldError> errors) {
    if (value.isNull()) {
      return;
    }
    switch (field.getJavaType()) {
      case INT, LONG -> {
        boolean ok = value.isIntegralNumber() || (value.isTextual() && INTEGER.matcher(value.asText()).matches())
            || (value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0);
        if (!ok) {
          errors.add(new FieldError(path, field.getJavaType() == FieldDescriptor.JavaType.LONG
              ? "must be an integer (a JSON number or a string of digits; amounts are in fen)" : "must be an integer"));
        }
      }
      case FLOAT, DOUBLE -> {
        if (!value.isNumber() && !value.isTextual()) {
          errors.add(new FieldError(path, "must be a number"));
        }
      }
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          errors.add(new FieldError(path, "must be true or false"));
        }
      }
      case STRING -> requireText(value, path, "a string", errors);
      case BYTE_STRING -> requireText(value, path, "a base64 string", errors);
      case ENUM -> {
        EnumDescriptor type = field.getEnumType();
        boolean ok = value.isTextual() ? type.findValueByName(value.asText()) != null : value.isIntegralNumber();
        if (!ok) {
          errors.add(new FieldError(path, "must be one of " + type.getFullName() + "'s names ("
              + type.getValues().stream().map(v -> v.getName()).filter(n -> !n.endsWith("_UNSPECIFIED")).toList() + ")"));
        }
      }
      default -> errors.add(new FieldError(path, "has a type the agent cannot read"));
    }
  }

  private static void requireText(JsonNode value, String path, String what, List<FieldError> errors) {
    if (!value.isTextual()) {
      errors.add(new FieldError(path, "must be " + what));
    }
  }

  /** Problems as a list to add to. */
  static List<FieldError> newErrors() {
    return new ArrayList<>();
  }
}
