package io.hmb.conformance.cases;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.hmb.api.Errors;
import io.hmb.api.v1.CoverageQuery;
import io.hmb.api.v1.EligibilityServiceGrpc;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.InsuredStatusQuery;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.Person;
import io.hmb.api.v1.Role;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.conformance.suite.ConformanceContext;
import io.hmb.conformance.suite.ConformanceSession;
import io.hmb.security.EnvelopeException;
import io.hmb.security.EnvelopePolicy;
import io.hmb.security.PrivateKeyHandle;
import io.hmb.security.PublicKeyHandle;
import io.hmb.security.Sealer;
import io.hmb.security.mask.ResidentIdNumber;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Hand-made envelopes for the negative cases, which the SDK rightly cannot produce. The probe is the
 * role's own pass-through question: a coverage query to the product's lead insurer for a bureau or
 * hospital, an insured-status query to the city's bureau for an insurer.
 */
public final class Probe {
  /** The default person under test; no real person: the check digit is computed, the rest is made up. */
  public static final Person FIXTURE_PERSON = Person.newBuilder().setCertType("01")
      .setCertNumber(withCheckDigit("21020219800101123")).setName("测试甲").build();

  private final ConformanceContext context;
  private final ConformanceSession session;

  Probe(ConformanceContext context) {
    this.context = context;
    this.session = context.session();
  }

  boolean asksCoverage() {
    return session.role != Role.ROLE_INSURER;
  }

  String recipient() {
    return asksCoverage() ? session.client.directory().leadInsurer(session.product) : session.bureau;
  }

  MessageType type() {
    return asksCoverage() ? MessageType.MESSAGE_TYPE_COVERAGE_QUERY : MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY;
  }

  MessageLite payload() {
    return asksCoverage()
        ? CoverageQuery.newBuilder().setPerson(session.person).setMoment(CoverageQuery.Moment.MOMENT_ADMISSION).build()
        : InsuredStatusQuery.newBuilder().setPerson(session.person).build();
  }

  EnvelopeHeader.Builder header() {
    Instant now = Instant.now();
    return EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString()).setSender(session.self)
        .setRecipient(recipient()).setMessageType(type()).setAdmdvs(session.city)
        .setCreateTime(ts(now)).setExpireTime(ts(now.plus(Duration.ofMinutes(5))));
  }

  SealedEnvelope seal(EnvelopeHeader.Builder header, MessageLite payload) {
    return sealWith(session.key, header, payload, EnvelopePolicy.defaults());
  }

  SealedEnvelope sealWith(PrivateKeyHandle key, EnvelopeHeader.Builder header, MessageLite payload, EnvelopePolicy policy) {
    PublicKeyHandle recipientKey = session.client.directory().sealingKey(recipient());
    try {
      return Sealer.create(policy).seal(header.build(), payload, key, recipientKey);
    } catch (EnvelopeException e) {
      throw new AssertionError("the suite could not seal its probe: " + e.getMessage());
    }
  }

  /** A valid probe envelope with one change applied to the sealed result. */
  SealedEnvelope altered(UnaryOperator<SealedEnvelope> change) {
    return change.apply(seal(header(), payload()));
  }

  /** Sends on the probe's RPC (with a deadline unless told not to) and returns the refusal, if any. */
  StatusRuntimeException send(SealedEnvelope envelope, boolean withDeadline) {
    var stub = EligibilityServiceGrpc.newBlockingStub(session.channel);
    if (withDeadline) {
      stub = stub.withDeadlineAfter(10, TimeUnit.SECONDS);
    }
    long start = System.nanoTime();
    String rpc = asksCoverage() ? "EligibilityService/CheckCoverage" : "EligibilityService/CheckInsuredStatus";
    try {
      if (asksCoverage()) {
        stub.checkCoverage(envelope);
      } else {
        stub.checkInsuredStatus(envelope);
      }
      context.record(rpc, describe(envelope), "OK", Duration.ofNanos(System.nanoTime() - start));
      return null;
    } catch (StatusRuntimeException e) {
      context.record(rpc, describe(envelope), e.getStatus().getCode() + " " + Errors.reason(e).map(Enum::name).orElse("")
          + " " + e.getStatus().getDescription(), Duration.ofNanos(System.nanoTime() - start));
      return e;
    }
  }

  /** Asserts the target refused the envelope with exactly this reason. */
  void expectRefused(SealedEnvelope envelope, ErrorReason expected) {
    expect(send(envelope, true), expected);
  }

  static void expect(StatusRuntimeException refusal, ErrorReason expected) {
    if (refusal == null) {
      throw new AssertionError("expected a refusal with reason " + expected + ", but the call succeeded");
    }
    ErrorReason actual = Errors.reason(refusal).orElse(null);
    if (actual != expected) {
      throw new AssertionError("expected reason " + expected + ", got " + refusal.getStatus().getCode() + " with reason "
          + (actual == null ? "(no hmb.v1 ErrorInfo)" : actual) + ": " + refusal.getStatus().getDescription());
    }
    if (refusal.getStatus().getDescription() == null || refusal.getStatus().getDescription().isBlank()) {
      throw new AssertionError(expected + " came without a human-readable message");
    }
  }

  static String describe(SealedEnvelope envelope) {
    try {
      EnvelopeHeader h = EnvelopeHeader.parseFrom(envelope.getHeader());
      return "message_id=" + h.getMessageId() + " sender=" + h.getSender() + " recipient=" + h.getRecipient()
          + " type=" + h.getMessageType() + " admdvs=" + h.getAdmdvs() + " bytes=" + envelope.getSerializedSize();
    } catch (Exception e) {
      return "unparseable header, bytes=" + envelope.getSerializedSize();
    }
  }

  static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static String withCheckDigit(String first17) {
    String id = first17 + ResidentIdNumber.checkCharacter(first17);
    if (!ResidentIdNumber.isValid(id)) {
      throw new IllegalStateException("fixture ID number is invalid");
    }
    return id;
  }
}
