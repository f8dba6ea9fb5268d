package io.hmb.client;

import io.grpc.Deadline;
import io.hmb.api.v1.MessageType;
import io.hmb.security.VerifiedHeader;
import java.time.Instant;
import java.util.Optional;

/**
 * What a handler knows about the message besides its payload: the verified header (signed by
 * {@link #sender()}, checked before the handler runs) and, for a pass-through request, the time left.
 * The header holds no personal data, so this may be logged.
 */
public final class MessageContext {
  private final VerifiedHeader header;
  private final int attempt;
  private final Deadline deadline;

  MessageContext(VerifiedHeader header, int attempt, Deadline deadline) {
    this.header = header;
    this.attempt = attempt;
    this.deadline = deadline;
  }

  public VerifiedHeader header() {
    return header;
  }

  public String messageId() {
    return header.messageId();
  }

  public String sender() {
    return header.sender();
  }

  public MessageType messageType() {
    return header.messageType();
  }

  public String admdvs() {
    return header.admdvs();
  }

  /** header.product_code, empty if none. */
  public String productCode() {
    return header.productCode();
  }

  /**
   * The sender's key for this operation, empty if none. A recipient that acts (posts a deduction,
   * records a settlement) must act at most once per (sender, key) and answer repeats from its record.
   */
  public String idempotencyKey() {
    return header.idempotencyKey();
  }

  public Instant createTime() {
    return header.createTime();
  }

  /** For a delivery, which attempt this is (above 1: it may have been seen before); 0 for a pass-through. */
  public int attempt() {
    return attempt;
  }

  /**
   * The caller's deadline, for a pass-through request: pass the time left to any downstream call rather
   * than starting a fresh timeout.
   */
  public Optional<Deadline> deadline() {
    return Optional.ofNullable(deadline);
  }

  @Override
  public String toString() {
    return "MessageContext{" + header + ", attempt=" + attempt + "}";
  }
}
