package io.hmb.client;

import com.google.protobuf.MessageLite;
import io.hmb.api.MessageCatalog;
import io.hmb.api.v1.MessageType;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What to send, before sealing: the message type and payload, who it goes to, and the few header facts
 * the caller decides. The SDK fills everything else (message_id, times, keys, nonce, digest) anew for
 * every attempt. Immutable; the role clients build these for you, {@link GatewayClient} takes them
 * directly for anything the role clients do not cover.
 *
 * <p>Addressing: either a participant code ({@link Builder#to}) or a city product, whose lead insurer
 * the SDK resolves through DirectoryService.ResolveProduct ({@link Builder#toLeadOf}).
 *
 * <p>header.admdvs, when not set: the product's city for product-addressed messages, otherwise the
 * city of whichever side is not an insurer (the recipient's, or this participant's own), which is what
 * the gateway's authorisation matrix checks.
 */
public final class OutboundMessage {
  private final MessageType type;
  private final MessageLite payload;
  private final String recipient;
  private final String leadOfProduct;
  private final String productCode;
  private final String admdvs;
  private final String idempotencyKey;
  private final Duration deadline;

  private OutboundMessage(Builder b) {
    this.type = b.type;
    this.payload = b.payload;
    this.recipient = b.recipient;
    this.leadOfProduct = b.leadOfProduct;
    this.productCode = b.productCode != null ? b.productCode : b.leadOfProduct;
    this.admdvs = b.admdvs;
    this.idempotencyKey = b.idempotencyKey;
    this.deadline = b.deadline;
  }

  public static Builder builder(MessageType type, MessageLite payload) {
    return new Builder(type, payload);
  }

  public MessageType type() {
    return type;
  }

  public MessageLite payload() {
    return payload;
  }

  /** The participant code, when addressed to a participant. */
  public Optional<String> recipient() {
    return Optional.ofNullable(recipient);
  }

  /** The product whose lead insurer is the recipient, when addressed to a product. */
  public Optional<String> leadOfProduct() {
    return Optional.ofNullable(leadOfProduct);
  }

  public Optional<String> productCode() {
    return Optional.ofNullable(productCode);
  }

  public Optional<String> admdvs() {
    return Optional.ofNullable(admdvs);
  }

  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** Per-attempt deadline; empty means the client's default. */
  public Optional<Duration> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** A copy with another deadline. */
  public OutboundMessage withDeadline(Duration deadline) {
    Builder b = new Builder(type, payload);
    b.recipient = recipient;
    b.leadOfProduct = leadOfProduct;
    b.productCode = productCode;
    b.admdvs = admdvs;
    b.idempotencyKey = idempotencyKey;
    b.deadline = deadline;
    return b.build();
  }

  @Override
  public String toString() {
    return "OutboundMessage{" + type + ", to=" + (recipient != null ? recipient : "lead of " + leadOfProduct)
        + ", product=" + productCode + ", idempotencyKey=" + (idempotencyKey != null) + "}";
  }

  /** Builds an OutboundMessage. Exactly one of {@link #to} and {@link #toLeadOf} is required. */
  public static final class Builder {
    private final MessageType type;
    private final MessageLite payload;
    private String recipient;
    private String leadOfProduct;
    private String productCode;
    private String admdvs;
    private String idempotencyKey;
    private Duration deadline;

    private Builder(MessageType type, MessageLite payload) {
      this.type = Objects.requireNonNull(type, "type");
      this.payload = Objects.requireNonNull(payload, "payload");
      if (!MessageCatalog.isRequest(type)) {
        throw new IllegalArgumentException(type + " is an answer: it travels only as a reply");
      }
    }

    /** Addressed to a participant, e.g. "BUREAU-210200". */
    public Builder to(String participant) {
      this.recipient = Objects.requireNonNull(participant, "participant");
      return this;
    }

    /** Addressed to the lead insurer of a city product; also sets header.product_code. */
    public Builder toLeadOf(String productCode) {
      this.leadOfProduct = Objects.requireNonNull(productCode, "productCode");
      return this;
    }

    /** header.product_code (the product the message concerns). */
    public Builder productCode(String productCode) {
      this.productCode = productCode == null || productCode.isEmpty() ? null : productCode;
      return this;
    }

    /** header.admdvs; see the class comment for the default. */
    public Builder admdvs(String admdvs) {
      this.admdvs = admdvs;
      return this;
    }

    /** The persisted key of this operation; required for deductions, reversals and store-and-forward. */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key == null ? null : IdempotencyKeys.check(key);
      return this;
    }

    /** Deadline of each attempt (at most 60 s, the gateway's limit). */
    public Builder deadline(Duration deadline) {
      this.deadline = deadline == null ? null : GatewayClient.checkDeadline(deadline);
      return this;
    }

    public OutboundMessage build() {
      if ((recipient == null) == (leadOfProduct == null)) {
        throw new IllegalStateException("address the message with exactly one of to(participant) or toLeadOf(product)");
      }
      if (idempotencyKey == null && MessageCatalog.requiresIdempotencyKey(type)) {
        throw new IllegalStateException(type + " needs an idempotency key, persisted before the first attempt "
            + "(IdempotencyKeys.random() makes one)");
      }
      return new OutboundMessage(this);
    }
  }
}
