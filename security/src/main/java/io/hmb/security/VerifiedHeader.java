package io.hmb.security;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import java.time.Instant;

/**
 * A header whose envelope passed every check: well-formed, fresh, signed by an ENABLED key of
 * {@link #sender()} and (when a replay guard was configured) not replayed. Only
 * {@link EnvelopeVerifier} and {@link Opener} create one. The header carries no personal data by
 * contract, so {@link #toString()} may be logged.
 */
public final class VerifiedHeader {
  private final EnvelopeHeader header;
  private final ByteString headerBytes;

  VerifiedHeader(EnvelopeHeader header, ByteString headerBytes) {
    this.header = header;
    this.headerBytes = headerBytes;
  }

  /** The parsed header. */
  public EnvelopeHeader header() {
    return header;
  }

  /** The header bytes exactly as signed (store these, not a re-serialization). */
  public ByteString headerBytes() {
    return headerBytes;
  }

  public String messageId() {
    return header.getMessageId();
  }

  public String correlationId() {
    return header.getCorrelationId();
  }

  public String idempotencyKey() {
    return header.getIdempotencyKey();
  }

  public String sender() {
    return header.getSender();
  }

  public String recipient() {
    return header.getRecipient();
  }

  public MessageType messageType() {
    return header.getMessageType();
  }

  public String admdvs() {
    return header.getAdmdvs();
  }

  public String productCode() {
    return header.getProductCode();
  }

  public Instant createTime() {
    return HeaderRules.instant(header.getCreateTime());
  }

  public Instant expireTime() {
    return HeaderRules.instant(header.getExpireTime());
  }

  public String senderKeyId() {
    return header.getSenderKeyId();
  }

  public String recipientKeyId() {
    return header.getRecipientKeyId();
  }

  public CipherSuite cipherSuite() {
    return header.getCipherSuite();
  }

  @Override
  public String toString() {
    return "VerifiedHeader{messageId=" + messageId() + ", type=" + messageType() + ", " + sender()
        + " -> " + recipient() + ", admdvs=" + admdvs() + ", senderKeyId=" + senderKeyId() + "}";
  }
}
