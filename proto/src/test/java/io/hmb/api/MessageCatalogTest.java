package io.hmb.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.hmb.api.MessageCatalog.Entry;
import io.hmb.api.MessageCatalog.Kind;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link MessageCatalog} in step with the hmb.v1 protos. Each check is a function from a
 * catalogue to its problems, run on the real catalogue (no problems) and on a damaged copy (the
 * problem is found), so a check that could never fail would show.
 */
class MessageCatalogTest {
  /** Types without a row, and why. */
  private static final Set<MessageType> NOT_CATALOGUED = Set.of(
      MessageType.MESSAGE_TYPE_UNSPECIFIED, // never valid on the wire
      MessageType.UNRECOGNIZED, // a number this build does not know
      MessageType.MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT); // only inside a DeliveryReceipt, on no RPC of its own
  /** Services that carry envelopes but are not called by participants: the gateway calls them. */
  private static final Set<String> NOT_GATEWAY_SERVICES = Set.of("hmb.v1.RecipientService");

  @Test
  void everyMessageTypeHasARow() {
    assertThat(missingRows(MessageCatalog.entries())).isEmpty();
    assertThat(MessageCatalog.entries().keySet()).doesNotContainAnyElementsOf(NOT_CATALOGUED);
  }

  @Test
  void aMissingRowIsFound() {
    Map<MessageType, Entry> damaged = new EnumMap<>(MessageCatalog.entries());
    damaged.remove(MessageType.MESSAGE_TYPE_CLAIM_RESULT);
    assertThat(missingRows(damaged)).containsExactly(MessageType.MESSAGE_TYPE_CLAIM_RESULT);
    assertThat(rpcProblems(damaged)).containsExactly("hmb.v1.ClaimService/PublishClaimResult is in no row");
  }

  @Test
  void everyEnvelopeRpcOfTheServicesIsInExactlyOneRow() {
    assertThat(rpcProblems(MessageCatalog.entries())).isEmpty();
  }

  @Test
  void anRpcInTwoRowsIsFound() {
    Map<MessageType, Entry> damaged = new EnumMap<>(MessageCatalog.entries());
    Entry claim = damaged.get(MessageType.MESSAGE_TYPE_CLAIM_RESULT);
    Entry settlement = damaged.get(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA);
    damaged.put(claim.type(), new Entry(claim.type(), claim.kind(), claim.parser(), settlement.method(), null,
        null, true, false));
    assertThat(rpcProblems(damaged)).contains(
        "hmb.v1.SettlementService/SubmitSettlement is in 2 rows",
        "hmb.v1.ClaimService/PublishClaimResult is in no row");
  }

  @Test
  void theCatalogueServicesHoldExactlyTheCataloguedRpcs() {
    Set<String> ofServices = MessageCatalog.services().stream()
        .flatMap(s -> s.getMethods().stream()).map(io.grpc.MethodDescriptor::getFullMethodName)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> catalogued = MessageCatalog.rpcs().stream().map(MessageCatalog.Rpc::fullMethodName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ofServices).isEqualTo(catalogued).isEqualTo(new TreeSet<>(envelopeRpcs()));
  }

  @Test
  void answersAreConsistent() {
    assertThat(answerProblems(MessageCatalog.entries())).isEmpty();
  }

  @Test
  void aWrongAnswerIsFound() {
    Map<MessageType, Entry> damaged = new EnumMap<>(MessageCatalog.entries());
    Entry q = damaged.get(MessageType.MESSAGE_TYPE_COVERAGE_QUERY);
    damaged.put(q.type(), new Entry(q.type(), q.kind(), q.parser(), q.method(), null,
        MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, q.keyRequired(), q.readOnly()));
    assertThat(answerProblems(damaged)).containsExactly(
        "MESSAGE_TYPE_COVERAGE_QUERY is answered by MESSAGE_TYPE_SETTLEMENT_DATA, which is not an answer",
        "MESSAGE_TYPE_COVERAGE_DECISION answers no request");
  }

  @Test
  void eachRpcShapeFitsItsKind() {
    assertThat(shapeProblems(MessageCatalog.entries())).isEmpty();
  }

  @Test
  void eachParserReadsThePayloadMessageNamedByItsType() {
    assertThat(parserProblems(MessageCatalog.entries())).isEmpty();
  }

  @Test
  void aParserOfAnotherMessageIsFound() {
    Map<MessageType, Entry> damaged = new EnumMap<>(MessageCatalog.entries());
    Entry r = damaged.get(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL);
    damaged.put(r.type(), new Entry(r.type(), r.kind(), io.hmb.api.v1.DeductionRequest.parser(), r.method(),
        null, r.answer(), r.keyRequired(), r.readOnly()));
    assertThat(parserProblems(damaged))
        .containsExactly("MESSAGE_TYPE_DEDUCTION_REVERSAL is parsed as DeductionRequest, expected DeductionReversal");
  }

  @Test
  void keysQuestionsAndReadOnlyTypes() {
    Map<MessageType, Entry> all = MessageCatalog.entries();
    all.values().stream().filter(e -> e.kind() == Kind.STORE_AND_FORWARD)
        .forEach(e -> assertThat(e.keyRequired()).as(e.type() + " is stored and delivered later").isTrue());
    all.values().stream().filter(Entry::readOnly)
        .forEach(e -> assertThat(e.question()).as(e.type() + " is read-only, so a question").isTrue());
    assertThat(typesWhere(Entry::keyRequired)).contains(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST,
        MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL);
    assertThat(typesWhere(Entry::question)).containsExactly(MessageType.MESSAGE_TYPE_COVERAGE_QUERY,
        MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY, MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST);
    assertThat(typesWhere(Entry::readOnly)).containsExactly(MessageType.MESSAGE_TYPE_COVERAGE_QUERY,
        MessageType.MESSAGE_TYPE_INSURED_STATUS_QUERY);
  }

  @Test
  void aQuestionIsSentWithoutAKey() {
    assertThat(MessageCatalog.isQuestion(MessageType.MESSAGE_TYPE_COVERAGE_QUERY, "")).isTrue();
    assertThat(MessageCatalog.isQuestion(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, "")).isTrue();
    assertThat(MessageCatalog.isQuestion(MessageType.MESSAGE_TYPE_BENEFIT_QUOTE_REQUEST, "quote-1")).isFalse();
    assertThat(MessageCatalog.isQuestion(MessageType.MESSAGE_TYPE_DEDUCTION_REQUEST, "")).isFalse();
    assertThat(MessageCatalog.isQuestion(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA, "")).isFalse();
    assertThat(MessageCatalog.isQuestion(MessageType.MESSAGE_TYPE_COVERAGE_DECISION, "")).isFalse();
  }

  @Test
  void lookupsRefuseWhatTheTypeIsNot() {
    assertThat(MessageCatalog.answerTo(MessageType.MESSAGE_TYPE_DEDUCTION_REVERSAL))
        .isEqualTo(MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT);
    assertThat(MessageCatalog.uploadMethod(MessageType.MESSAGE_TYPE_RECONCILIATION_REPORT).getFullMethodName())
        .isEqualTo("hmb.v1.ReconciliationService/UploadReportParts");
    assertThatThrownBy(() -> MessageCatalog.answerTo(MessageType.MESSAGE_TYPE_CLAIM_RESULT))
        .hasMessage("MESSAGE_TYPE_CLAIM_RESULT is not a pass-through request type");
    assertThatThrownBy(() -> MessageCatalog.exchangeMethod(MessageType.MESSAGE_TYPE_CLAIM_RESULT))
        .hasMessage("MESSAGE_TYPE_CLAIM_RESULT is not a pass-through request");
    assertThatThrownBy(() -> MessageCatalog.submitMethod(MessageType.MESSAGE_TYPE_COVERAGE_QUERY))
        .hasMessage("MESSAGE_TYPE_COVERAGE_QUERY is not a store-and-forward message");
    assertThatThrownBy(() -> MessageCatalog.uploadMethod(MessageType.MESSAGE_TYPE_CLAIM_RESULT))
        .hasMessageStartingWith("MESSAGE_TYPE_CLAIM_RESULT is not uploadable in a stream");
    assertThatThrownBy(() -> MessageCatalog.entry(MessageType.MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT))
        .hasMessage("no catalogue entry for MESSAGE_TYPE_ACKNOWLEDGEMENT_RECEIPT");
    assertThatThrownBy(() -> MessageCatalog.rpc(io.hmb.api.v1.RecipientServiceGrpc.getExchangeMethod()))
        .hasMessage("hmb.v1.RecipientService/Exchange is not an envelope-carrying RPC");
  }

  private static List<MessageType> typesWhere(java.util.function.Predicate<Entry> p) {
    return MessageCatalog.entries().values().stream().filter(p).map(Entry::type).toList();
  }

  private static List<MessageType> missingRows(Map<MessageType, Entry> entries) {
    return Arrays.stream(MessageType.values())
        .filter(t -> !NOT_CATALOGUED.contains(t) && !entries.containsKey(t)).toList();
  }

  /** Every RPC of an hmb.v1 service a participant calls that takes a SealedEnvelope, from the descriptors. */
  private static List<String> envelopeRpcs() {
    List<String> rpcs = new ArrayList<>();
    for (var file : ApiDescriptors.v1Files()) {
      for (ServiceDescriptor service : file.getServices()) {
        if (NOT_GATEWAY_SERVICES.contains(service.getFullName())) {
          continue;
        }
        for (MethodDescriptor m : service.getMethods()) {
          if (m.getInputType().equals(SealedEnvelope.getDescriptor())) {
            rpcs.add(service.getFullName() + "/" + m.getName());
          }
        }
      }
    }
    return rpcs;
  }

  private static List<String> rpcProblems(Map<MessageType, Entry> entries) {
    List<String> problems = new ArrayList<>();
    Map<String, Long> rows = entries.values().stream().flatMap(e -> e.methods().stream())
        .collect(Collectors.groupingBy(io.grpc.MethodDescriptor::getFullMethodName, Collectors.counting()));
    List<String> envelopeRpcs = envelopeRpcs();
    assertThat(envelopeRpcs).as("the descriptors list the envelope RPCs").hasSizeGreaterThan(10);
    for (String rpc : envelopeRpcs) {
      long n = rows.getOrDefault(rpc, 0L);
      if (n == 0) {
        problems.add(rpc + " is in no row");
      } else if (n > 1) {
        problems.add(rpc + " is in " + n + " rows");
      }
    }
    rows.keySet().stream().filter(rpc -> !envelopeRpcs.contains(rpc)).sorted()
        .forEach(rpc -> problems.add(rpc + " is not an envelope RPC of a gateway service"));
    return problems;
  }

  private static List<String> answerProblems(Map<MessageType, Entry> entries) {
    List<String> problems = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.kind() == Kind.PASS_THROUGH) {
        Entry answer = e.answer() == null ? null : entries.get(e.answer());
        if (answer == null || answer.kind() != Kind.ANSWER) {
          problems.add(e.type() + " is answered by " + e.answer() + ", which is not an answer");
        }
      } else if (e.answer() != null) {
        problems.add(e.type() + " is not pass-through but names an answer");
      }
    }
    for (Entry e : entries.values()) {
      if (e.kind() == Kind.ANSWER && entries.values().stream().noneMatch(r -> r.answer() == e.type())) {
        problems.add(e.type() + " answers no request");
      }
    }
    return problems;
  }

  private static List<String> shapeProblems(Map<MessageType, Entry> entries) {
    List<String> problems = new ArrayList<>();
    for (Entry e : entries.values()) {
      var method = e.method();
      switch (e.kind()) {
        case ANSWER -> {
          if (method != null || e.upload() != null || e.keyRequired() || e.readOnly()) {
            problems.add(e.type() + " is an answer: no RPC, key or read-only flag of its own");
          }
        }
        case PASS_THROUGH, STORE_AND_FORWARD -> {
          String output = e.kind() == Kind.PASS_THROUGH ? "SealedEnvelope" : "Acceptance";
          if (method == null || method.getType() != io.grpc.MethodDescriptor.MethodType.UNARY
              || !outputOf(method).equals(output)) {
            problems.add(e.type() + " needs a unary RPC returning " + output);
          }
          if (e.upload() != null && (e.kind() != Kind.STORE_AND_FORWARD
              || e.upload().getType() != io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING
              || !outputOf(e.upload()).equals("Acceptance"))) {
            problems.add(e.type() + " upload must be a store-and-forward stream of Acceptances");
          }
        }
        default -> problems.add(e.type() + " has an unknown kind");
      }
    }
    return problems;
  }

  private static String outputOf(io.grpc.MethodDescriptor<?, ?> method) {
    var service = ApiDescriptors.v1Files().stream().flatMap(f -> f.getServices().stream())
        .filter(s -> s.getFullName().equals(method.getServiceName())).findFirst().orElseThrow();
    return service.findMethodByName(method.getBareMethodName()).getOutputType().getName();
  }

  /** MESSAGE_TYPE_COVERAGE_QUERY is carried as CoverageQuery, and so on for every row. */
  private static List<String> parserProblems(Map<MessageType, Entry> entries) {
    List<String> problems = new ArrayList<>();
    for (Entry e : entries.values()) {
      String expected = Arrays.stream(e.type().name().substring("MESSAGE_TYPE_".length()).split("_"))
          .map(w -> w.charAt(0) + w.substring(1).toLowerCase(Locale.ROOT)).collect(Collectors.joining());
      String actual;
      try {
        actual = ((Message) e.parser().parseFrom(ByteString.EMPTY)).getDescriptorForType().getName();
      } catch (InvalidProtocolBufferException ex) {
        actual = "(unparseable: " + ex.getMessage() + ")";
      }
      if (!actual.equals(expected)) {
        problems.add(e.type() + " is parsed as " + actual + ", expected " + expected);
      }
    }
    return problems;
  }
}
