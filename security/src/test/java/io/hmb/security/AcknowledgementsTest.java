package io.hmb.security;

import static io.hmb.security.Fixtures.BUREAU;
import static io.hmb.security.Fixtures.INSURER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.AcknowledgementReceipt;
import io.hmb.api.v1.CipherSuite;
import io.hmb.api.v1.EnvelopeHeader;
import io.hmb.api.v1.MessageType;
import io.hmb.api.v1.SealedEnvelope;
import io.hmb.security.replay.ReplayGuard;
import org.junit.jupiter.api.Test;

/** A recipient's signed acknowledgement of a pushed message, as the gateway checks it. */
class AcknowledgementsTest {
  static final CipherSuite GM = CipherSuite.CIPHER_SUITE_SM2_SM4_GCM_SM3;
  final EnvelopeVerifier gateway = Fixtures.verifier(GM, ReplayGuard.deferredToCaller());
  // A settlement the bureau pushed to the insurer.
  final EnvelopeHeader delivered = Fixtures.header().setMessageType(MessageType.MESSAGE_TYPE_SETTLEMENT_DATA).build();

  static KeyRing ring(PrivateKeyHandle key) {
    return KeyRing.builder().add(key, Fixtures.KEYS_FROM, Fixtures.KEYS_UNTIL).build();
  }

  SealedEnvelope ackBy(PrivateKeyHandle signer, EnvelopeHeader about) throws Exception {
    return Acknowledgements.seal(Sealer.create(), about, ring(signer), Fixtures.bureauKey(GM).publicKey(), Fixtures.NOW);
  }

  @Test
  void theRecipientsAcknowledgementPassesAndTheSenderCanReadIt() throws Exception {
    SealedEnvelope ack = ackBy(Fixtures.insurerKey(GM), delivered);

    assertThatCode(() -> Acknowledgements.check(gateway, ack, delivered.getMessageId(), BUREAU, INSURER))
        .doesNotThrowAnyException();
    OpenedMessage<AcknowledgementReceipt> read = Opener.builder(BUREAU).clock(Fixtures.CLOCK)
        .replayGuard(ReplayGuard.deferredToCaller()).build()
        .open(ack, Fixtures.bureauKey(GM), Fixtures.insurerKey(GM).publicKey(), AcknowledgementReceipt.parser());
    assertThat(read.payload().getMessageId()).isEqualTo(delivered.getMessageId());
    assertThat(read.header().correlationId()).isEqualTo(delivered.getMessageId());
  }

  @Test
  void noAcknowledgementOrOneSignedByAnotherParticipantIsRefused() throws Exception {
    assertThatThrownBy(() -> Acknowledgements.check(gateway, SealedEnvelope.getDefaultInstance(),
        delivered.getMessageId(), BUREAU, INSURER)).hasMessageContaining("no signed acknowledgement");
    // An endpoint holding another participant's key (here the bureau's own) signs in its own name...
    EnvelopeHeader asIfFromBureau = delivered.toBuilder().setRecipient(BUREAU).build();
    SealedEnvelope forged = ackBy(Fixtures.bureauKey(GM), asIfFromBureau);
    assertThatThrownBy(() -> Acknowledgements.check(gateway, forged, delivered.getMessageId(), BUREAU, INSURER))
        .hasMessageContaining("signed by another participant");
    // ...or claims the recipient's name with a key that is not the recipient's.
    SealedEnvelope claimed = ackBy(Fixtures.key(GM, 2), delivered);
    assertThatThrownBy(() -> Acknowledgements.check(gateway, claimed, delivered.getMessageId(), BUREAU, INSURER))
        .hasMessageContaining("does not verify: KEY_UNKNOWN");
  }

  @Test
  void anAcknowledgementOfAnotherMessageOrATamperedOneIsRefused() throws Exception {
    SealedEnvelope ack = ackBy(Fixtures.insurerKey(GM), delivered);
    assertThatThrownBy(() -> Acknowledgements.check(gateway, ack, "00000000-0000-4000-8000-000000000000", BUREAU, INSURER))
        .hasMessageContaining("names another message");
    byte[] sig = ack.getSignature().toByteArray();
    sig[sig.length / 2] ^= 1;
    SealedEnvelope tampered = ack.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    assertThatThrownBy(() -> Acknowledgements.check(gateway, tampered, delivered.getMessageId(), BUREAU, INSURER))
        .hasMessageContaining("does not verify");
  }
}
