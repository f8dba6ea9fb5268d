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
import io.hmb.conformance.sim.GatewayConnection;
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
  private final String self;
  private final PrivateKeyHandle key;
  private final io.grpc.Channel channel;

  Probe(ConformanceContext context) {
    this(context, context.session().self, context.session().key, context.session().channel);
  }

  private Probe(ConformanceContext context, String self, PrivateKeyHandle key, io.grpc.Channel channel) {
    this.context = context;
    this.session = context.session();
    this.self = self;
    this.key = key;
    this.channel = channel;
  }

  /** The same probe sent by a conformance fixture, over a connection with the fixture's certificate. */
  static Probe actingAs(ConformanceContext context, String fixture) {
    GatewayConnection fixtureConnection = context.session().fixtures.actAs(fixture);
    return new Probe(context, fixtureConnection.code(), fixtureConnection.participant().signingKey(),
        fixtureConnection.channel());
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
    return EnvelopeHeader.newBuilder().setMessageId(UUID.randomUUID().toString()).setSender(self)
        .setRecipient(recipient()).setMessageType(type()).setAdmdvs(session.city)
        .setCreateTime(ts(now)).setExpireTime(ts(now.plus(Duration.ofMinutes(5))));
  }

  SealedEnvelope seal(EnvelopeHeader.Builder header, MessageLite payload) {
    return sealWith(key, header, payload, EnvelopePolicy.defaults());
  }

  SealedEnvelope sealWith(PrivateKeyHandle key, EnvelopeHeader.Builder header, MessageLite payload, EnvelopePolicy policy) {
    PublicKeyHandle recipientKey = session.client.directory().sealingKey(recipient());
    try {
      return Sealer.create(policy).seal(header.build(), payload, key, recipientKey);
    } catch (EnvelopeException e) {
      throw new AssertionError("the suite could not seal its probe: " + e.getMessage());
    }
  }

  /** Seals for {@code recipientKey} instead of the recipient's own key: what only the recipient can notice. */
  SealedEnvelope sealFor(PublicKeyHandle recipientKey, EnvelopeHeader.Builder header, MessageLite payload) {
    try {
      return Sealer.create().seal(header.build(), payload, key, recipientKey);
    } catch (EnvelopeException e) {
      throw new AssertionError("the suite could not seal its probe: " + e.getMessage());
    }
  }

  /**
   * A valid probe whose header bytes are rewritten after sealing. The signature no longer matches,
   * but header checks come first (docs/envelope.md), so the refusal names the header's fault.
   */
  SealedEnvelope withHeaderRewritten(UnaryOperator<EnvelopeHeader.Builder> change) {
    SealedEnvelope sealed = seal(header(), payload());
    try {
      EnvelopeHeader h = EnvelopeHeader.parseFrom(sealed.getHeader());
      return sealed.toBuilder().setHeader(change.apply(h.toBuilder()).build().toByteString()).build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid probe envelope with one change applied to the sealed result. */
  SealedEnvelope altered(UnaryOperator<SealedEnvelope> change) {
    return change.apply(seal(header(), payload()));
  }

  /** Sends on the probe's RPC (with a deadline unless told not to) and returns the refusal, if any. */
  StatusRuntimeException send(SealedEnvelope envelope, boolean withDeadline) {
    return send(envelope, withDeadline ? Duration.ofSeconds(10) : null);
  }

  /** Sends with this deadline ({@code null}: none) and returns the refusal, if any. */
  StatusRuntimeException send(SealedEnvelope envelope, Duration deadline) {
    var stub = EligibilityServiceGrpc.newBlockingStub(channel);
    if (deadline != null) {
      stub = stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
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
