package io.hmb.security;

import com.google.protobuf.Timestamp;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Header field checks, in the order docs/envelope.md lists them. Each failure names the field
 * (proto field name) in the exception's "field" metadata.
 */
final class HeaderRules {
  static final Pattern UUID = io.hmb.api.MessageIds.PATTERN;
  static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  static final Pattern CODE = io.hmb.api.ParticipantCode.PATTERN;
  static final Pattern ADMDVS = Pattern.compile("[0-9]{6}");
  static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{32}");
  static final int NONCE_BYTES = 16;
  static final int CONTENT_DIGEST_BYTES = 32;

  private static final long MIN_SECONDS = -62_135_596_800L; // 0001-01-01T00:00:00Z
  private static final long MAX_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private HeaderRules() {}

  /** Version, suite and every field's presence and format (no clock involved). */
  static void checkFields(EnvelopeHeader h) throws EnvelopeException {
    if (h.getSchemaVersion() == 0) {
      throw EnvelopeException.missing("schema_version");
    }
    if (h.getSchemaVersion() != EnvelopePolicy.SCHEMA_VERSION) {
      throw EnvelopeException.of(EnvelopeException.Reason.UNSUPPORTED_VERSION);
    }
    if (h.getCipherSuiteValue() == CipherSuite.CIPHER_SUITE_UNSPECIFIED_VALUE) {
      throw EnvelopeException.missing("cipher_suite");
    }
    Suite.of(h.getCipherSuite()); // UNSUPPORTED_SUITE for unknown values
    required("message_id", h.getMessageId(), UUID);
    optional("correlation_id", h.getCorrelationId(), UUID);
    optional("idempotency_key", h.getIdempotencyKey(), IDEMPOTENCY_KEY);
    required("sender", h.getSender(), CODE);
    required("recipient", h.getRecipient(), CODE);
    if (h.getMessageTypeValue() == MessageType.MESSAGE_TYPE_UNSPECIFIED_VALUE) {
      throw EnvelopeException.missing("message_type");
    }
    if (h.getMessageType() == MessageType.UNRECOGNIZED) {
      throw EnvelopeException.of(EnvelopeException.Reason.UNKNOWN_MESSAGE_TYPE);
    }
    required("admdvs", h.getAdmdvs(), ADMDVS);
    if (!h.hasCreateTime()) {
      throw EnvelopeException.missing("create_time");
    }
    validTimestamp("create_time", h.getCreateTime());
    if (!h.hasExpireTime()) {
      throw EnvelopeException.missing("expire_time");
    }
    validTimestamp("expire_time", h.getExpireTime());
    if (h.getNonce().isEmpty()) {
      throw EnvelopeException.missing("nonce");
    }
    if (h.getNonce().size() != NONCE_BYTES) {
      throw EnvelopeException.invalid("nonce");
    }
    required("sender_key_id", h.getSenderKeyId(), KEY_ID);
    required("recipient_key_id", h.getRecipientKeyId(), KEY_ID);
    optional("product_code", h.getProductCode(), CODE);
    if (!h.getIdempotencyKey().isEmpty()) {
      if (h.getContentDigest().isEmpty()) {
        throw EnvelopeException.missing("content_digest");
      }
      if (h.getContentDigest().size() != CONTENT_DIGEST_BYTES) {
        throw EnvelopeException.invalid("content_digest");
      }
    } else if (!h.getContentDigest().isEmpty()) {
      throw EnvelopeException.invalid("content_digest");
    }
  }

  /** expire_time after create_time, and not more than the maximum lifetime after it. */
  static void checkLifetime(EnvelopeHeader h, EnvelopePolicy policy) throws EnvelopeException {
    Instant create = instant(h.getCreateTime());
    Instant expire = instant(h.getExpireTime());
    if (!expire.isAfter(create) || Duration.between(create, expire).compareTo(policy.maxLifetime()) > 0) {
      throw EnvelopeException.invalid("expire_time");
    }
  }

  /** Lifetime, then EXPIRED (now >= expire_time), then NOT_YET_VALID (create_time > now + skew). */
  static void checkTimes(EnvelopeHeader h, Instant now, EnvelopePolicy policy) throws EnvelopeException {
    checkLifetime(h, policy);
    if (!now.isBefore(instant(h.getExpireTime()))) {
      throw EnvelopeException.of(EnvelopeException.Reason.EXPIRED);
    }
    if (instant(h.getCreateTime()).isAfter(now.plus(policy.maxClockSkew()))) {
      throw EnvelopeException.of(EnvelopeException.Reason.NOT_YET_VALID);
    }
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static void validTimestamp(String field, Timestamp t) throws EnvelopeException {
    if (t.getSeconds() < MIN_SECONDS || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      throw EnvelopeException.invalid(field);
    }
  }

  private static void required(String field, String value, Pattern format) throws EnvelopeException {
    if (value.isEmpty()) {
      throw EnvelopeException.missing(field);
    }
    if (!format.matcher(value).matches()) {
      throw EnvelopeException.invalid(field);
    }
  }

  private static void optional(String field, String value, Pattern format) throws EnvelopeException {
    if (!value.isEmpty() && !format.matcher(value).matches()) {
      throw EnvelopeException.invalid(field);
    }
  }
}
