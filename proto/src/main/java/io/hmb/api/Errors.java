package io.hmb.api;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.hmb.api.v1.ErrorReason;
import java.util.Map;
import java.util.Optional;

/**
 * Builds and reads the error every hmb.v1 endpoint returns: a gRPC status whose code comes from
 * {@link ErrorCatalog}, with a human message and a {@code google.rpc.ErrorInfo} (reason, domain
 * {@value #DOMAIN}, metadata), plus {@code RetryInfo} when the reason is retryable.
 */
public final class Errors {

  /** The ErrorInfo domain of every hmb.v1 error. */
  public static final String DOMAIN = "hmb.v1";

  /**
   * Longer messages are cut. A message may quote what the caller sent, and it travels twice in the
   * trailers (grpc-message, percent-encoded, and inside grpc-status-details-bin): a 1 MB header value
   * quoted whole made trailers the client's transport refused, so the caller saw INTERNAL, not the reason.
   */
  public static final int MAX_MESSAGE_CHARS = 400;

  private Errors() {}

  /** An error with no metadata. */
  public static StatusRuntimeException of(ErrorReason reason, String message) {
    return of(reason, message, Map.of());
  }

  /** An error with metadata (e.g. "field" naming the offending header field). */
  public static StatusRuntimeException of(ErrorReason reason, String message, Map<String, String> metadata) {
    return build(reason, message, metadata, null);
  }

  /** A retryable error telling the caller how long to wait. */
  public static StatusRuntimeException retryAfter(ErrorReason reason, String message, java.time.Duration delay) {
    return build(reason, message, Map.of(), delay);
  }

  /** A retryable error with metadata (e.g. "limit" naming the limit that was reached). */
  public static StatusRuntimeException retryAfter(ErrorReason reason, String message, Map<String, String> metadata,
      java.time.Duration delay) {
    return build(reason, message, metadata, delay);
  }

  private static String cut(String message) {
    return message.length() <= MAX_MESSAGE_CHARS ? message
        : message.substring(0, MAX_MESSAGE_CHARS) + "...(" + message.length() + " chars)";
  }

  private static StatusRuntimeException build(ErrorReason reason, String message,
      Map<String, String> metadata, java.time.Duration retryDelay) {
    ErrorCatalog.Entry entry = ErrorCatalog.entry(reason);
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(entry.code().value())
        .setMessage(cut(message))
        .addDetails(Any.pack(ErrorInfo.newBuilder()
            .setReason(reason.name())
            .setDomain(DOMAIN)
            .putAllMetadata(metadata)
            .build()));
    if (retryDelay != null) {
      status.addDetails(Any.pack(RetryInfo.newBuilder()
          .setRetryDelay(Duration.newBuilder()
              .setSeconds(retryDelay.getSeconds())
              .setNanos(retryDelay.getNano()))
          .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** The ErrorInfo carried by a failed call, if any. */
  public static Optional<ErrorInfo> errorInfo(Throwable failure) {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    if (status == null) {
      return Optional.empty();
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return Optional.of(detail.unpack(ErrorInfo.class));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** The hmb.v1 reason of a failed call, or empty when it carries none (or another domain's). */
  public static Optional<ErrorReason> reason(Throwable failure) {
    return errorInfo(failure)
        .filter(info -> DOMAIN.equals(info.getDomain()))
        .map(info -> {
          try {
            return ErrorReason.valueOf(info.getReason());
          } catch (IllegalArgumentException unknownToThisVersion) {
            return ErrorReason.UNRECOGNIZED;
          }
        });
  }

  /** The RetryInfo delay of a failed call, if any. */
  public static Optional<java.time.Duration> retryDelay(Throwable failure) {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    if (status == null) {
      return Optional.empty();
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
          return Optional.of(java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
