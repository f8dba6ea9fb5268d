package io.hmb.agent;

import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.MessageType;
import java.util.Locale;
import java.util.Optional;

/**
 * The one spelling of a message type in the local API: the proto enum name without its prefix, lower case,
 * words joined by '-' ({@code MESSAGE_TYPE_COVERAGE_QUERY} is {@code coverage-query}). Routes
 * ({@code POST /v1/coverage-query}), the {@code type} of a received message and the OpenAPI document all
 * use it, so a new catalogue row gets its name with no table to edit.
 */
public final class MessageNames {
  private static final String PREFIX = "MESSAGE_TYPE_";

  private MessageNames() {}

  public static String of(MessageType type) {
    return type.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The type a name spells, if it is one of the catalogue's. */
  public static Optional<MessageType> parse(String name) {
    if (name == null || !name.matches("[a-z]+(-[a-z]+)*")) {
      return Optional.empty();
    }
    try {
      MessageType type = MessageType.valueOf(PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_'));
      return MessageCatalog.find(type).map(MessageCatalog.Entry::type);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
