package io.hmb.gateway.scale;

import io.grpc.Status;
import io.hmb.api.v1.DeductionReceipt;
import io.hmb.api.v1.DeductionRequest;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.gateway.support.TestParty;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bureau's deduction desk behind its RecipientService: posts each idempotency key once and answers a
 * repeated key with the original receipt, as the contract requires of the bureau. It counts how often
 * the gateway asked about each key, which is what shows whether a retry was answered from the
 * gateway's store or forwarded again.
 */
final class BureauDesk {
  private final TestParty bureau;
  private final TestParty insurer;
  private final String admdvs;
  private final Map<String, DeductionReceipt> posted = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  BureauDesk(TestParty bureau, TestParty insurer, String admdvs) {
    this.bureau = bureau;
    this.insurer = insurer;
    this.admdvs = admdvs;
  }

  SealedEnvelope answer(SealedEnvelope request) {
    try {
      var opened = bureau.open(request, insurer, DeductionRequest.parser());
      String key = opened.header().idempotencyKey();
      requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      DeductionReceipt receipt = posted.computeIfAbsent(key, k -> DeductionReceipt.newBuilder()
          .setDeductionId("D-" + k).setState(DeductionReceipt.State.STATE_POSTED)
          .setAmountFen(opened.payload().getAmountFen()).setIdempotencyKey(k).build());
      return bureau.seal(bureau.header(MessageType.MESSAGE_TYPE_DEDUCTION_RECEIPT, insurer, admdvs)
          .setCorrelationId(opened.header().messageId()), receipt, insurer);
    } catch (Exception e) {
      throw Status.INTERNAL.withDescription(e.toString()).asRuntimeException();
    }
  }

  /** The receipt the bureau's books hold for a key, or null if it never posted it. */
  DeductionReceipt posted(String key) {
    return posted.get(key);
  }

  /** How many times the gateway forwarded a request with this key. */
  int requests(String key) {
    AtomicInteger n = requests.get(key);
    return n == null ? 0 : n.get();
  }
}
