package io.hmb.client;

import io.hmb.api.v1.Acceptance;
import java.util.List;

/**
 * A streamed upload ended before every message was accepted. {@link #accepted()} holds the
 * acceptances received, in the order of the batch: those messages are durably recorded. Resume by
 * uploading the rest, or the whole batch again with the same idempotency keys (accepted ones come back
 * replayed).
 */
public final class PartialUploadException extends GatewayException {
  private static final long serialVersionUID = 1L;
  private final transient List<Acceptance> accepted;

  PartialUploadException(GatewayException failure, List<Acceptance> accepted) {
    super(failure);
    this.accepted = List.copyOf(accepted);
  }

  /** Acceptances received before the failure, in batch order. */
  public List<Acceptance> accepted() {
    return accepted;
  }
}
