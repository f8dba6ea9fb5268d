package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.security.merkle.Checkpoint;
import io.hmb.security.merkle.TreeHasher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditLogKeyTest {
  private static final Instant AT = Instant.parse("2026-12-01T08:00:00.123Z");
  private final AuditLogKey key = AuditLogKey.generate();
  private final byte[] root = TreeHasher.SM3.leaf("root".getBytes());

  @Test
  void aSignedCheckpointVerifiesWithThePinnedKeyAndSaysWhatWasSigned() throws Exception {
    SignedCheckpoint signed = key.sign(42, root, AT);
    CheckpointVerifier pinned = CheckpointVerifier.fromPem(key.verifier().publicKeyPem());
    Checkpoint c = pinned.verify(signed);
    assertThat(c.treeSize()).isEqualTo(42);
    assertThat(c.rootHash()).isEqualTo(root);
    assertThat(c.time()).isEqualTo(AT);
    assertThat(c.origin()).isEqualTo("hmb-audit/" + key.verifier().keyId());
    assertThat(signed.getNote().toStringUtf8())
        .isEqualTo(c.origin() + "\n42\n" + java.util.Base64.getEncoder().encodeToString(root) + "\n" + AT.toEpochMilli() + "\n");
  }

  @Test
  void aChangedSizeRootOrSignatureIsRefused() {
    SignedCheckpoint signed = key.sign(42, root, AT);
    String note = signed.getNote().toStringUtf8();
    SignedCheckpoint biggerTree = signed.toBuilder().setNote(ByteString.copyFromUtf8(note.replace("\n42\n", "\n43\n"))).build();
    assertThatThrownBy(() -> key.verifier().verify(biggerTree)).hasMessageContaining("signature does not verify");
    byte[] sig = signed.getSignature().toByteArray();
    sig[sig.length - 1] ^= 1;
    SignedCheckpoint badSig = signed.toBuilder().setSignature(ByteString.copyFrom(sig)).build();
    assertThatThrownBy(() -> key.verifier().verify(badSig)).hasMessageContaining("signature does not verify");
  }

  @Test
  void anotherLogsCheckpointIsRefusedEvenWhenItClaimsThisLogsKeyId() {
    AuditLogKey other = AuditLogKey.generate();
    SignedCheckpoint foreign = other.sign(1, root, AT);
    assertThatThrownBy(() -> key.verifier().verify(foreign)).hasMessageContaining("not by this log's key");
    SignedCheckpoint relabelled = foreign.toBuilder().setKeyId(key.verifier().keyId()).build();
    assertThatThrownBy(() -> key.verifier().verify(relabelled)).hasMessageContaining("signature does not verify");
  }

  @Test
  void theTextIsParsedInItsOneCanonicalFormOnly() {
    String origin = "hmb-audit/abc";
    String r = java.util.Base64.getEncoder().encodeToString(root);
    assertThat(Checkpoint.parse((origin + "\n7\n" + r + "\n5\n").getBytes(StandardCharsets.UTF_8)).treeSize()).isEqualTo(7);
    for (String bad : new String[] {origin + "\n07\n" + r + "\n5\n", origin + "\n+7\n" + r + "\n5\n",
        origin + "\n7\n" + r + "\n5", origin + "\n7\n" + r + "\n5\nextra\n", origin + " x\n7\n" + r + "\n5\n",
        origin + "\n7\n" + r.substring(4) + "\n5\n", origin + "\n-1\n" + r + "\n5\n"}) {
      assertThatThrownBy(() -> Checkpoint.parse(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theKeyRoundTripsThroughPemAndSignsTheSameLog() throws Exception {
    AuditLogKey reloaded = AuditLogKey.fromPem(key.toPem(InsecureSecretAccess.get()), InsecureSecretAccess.get());
    assertThat(reloaded.origin()).isEqualTo(key.origin());
    assertThat(key.verifier().verify(reloaded.sign(3, root, AT)).treeSize()).isEqualTo(3);
  }
}
