package io.hmb.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed v1 descriptor (src/test/baseline/hmb-v1.binpb) is the contract integrators
 * code against. This test fails when a change to the .proto files breaks wire compatibility with it.
 * After an intended, compatible addition, refresh it with
 * {@code mvn -pl proto test -Dhmb.proto.writeBaseline=true} and commit the file.
 */
class WireCompatibilityTest {

  private static final Path BASELINE_SOURCE = Path.of("src/test/baseline/hmb-v1.binpb");

  static FileDescriptorSet current() {
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    ApiDescriptors.v1Files().forEach(f -> set.addFile(f.toProto()));
    return set.build();
  }

  static FileDescriptorSet baseline() throws IOException {
    if (Boolean.getBoolean("hmb.proto.writeBaseline")) {
      Files.write(BASELINE_SOURCE, current().toByteArray());
    }
    assertThat(BASELINE_SOURCE).as("committed baseline descriptor").exists();
    return FileDescriptorSet.parseFrom(Files.readAllBytes(BASELINE_SOURCE));
  }

  @Test
  void currentApiIsWireCompatibleWithCommittedBaseline() throws IOException {
    assertThat(WireCompatibility.breakingChanges(baseline(), current())).isEmpty();
  }

  @Test
  void detectsChangedFieldType() throws IOException {
    FileDescriptorSet changed = editMessage(baseline(), "SealedEnvelope",
        m -> m.getFieldBuilder(0).setType(FieldDescriptorProto.Type.TYPE_STRING));
    assertThat(WireCompatibility.breakingChanges(baseline(), changed))
        .containsExactly("field hmb.v1.SealedEnvelope.header = 1 changed type from TYPE_BYTES to TYPE_STRING");
  }

  @Test
  void detectsRemovedFieldUnlessReserved() throws IOException {
    FileDescriptorSet removed = editMessage(baseline(), "SealedEnvelope", m -> m.removeField(3));
    assertThat(WireCompatibility.breakingChanges(baseline(), removed))
        .containsExactly("field hmb.v1.SealedEnvelope.signature = 4 was removed or renumbered without reserving its number");

    FileDescriptorSet reserved = editMessage(baseline(), "SealedEnvelope",
        m -> m.removeField(3).addReservedRange(DescriptorProto.ReservedRange.newBuilder().setStart(4).setEnd(5)));
    assertThat(WireCompatibility.breakingChanges(baseline(), reserved)).isEmpty();
  }

  @Test
  void detectsRenumberedFieldButAllowsRename() throws IOException {
    FileDescriptorSet renamed = editMessage(baseline(), "SealedEnvelope",
        m -> m.getFieldBuilder(1).setName("key_for_recipient"));
    assertThat(WireCompatibility.breakingChanges(baseline(), renamed)).isEmpty();

    FileDescriptorSet renumbered = editMessage(baseline(), "SealedEnvelope",
        m -> m.getFieldBuilder(1).setNumber(9));
    assertThat(WireCompatibility.breakingChanges(baseline(), renumbered)).hasSize(1)
        .first().asString().contains("wrapped_key = 2");
  }

  @Test
  void detectsRemovedRpcAndChangedStreaming() throws IOException {
    FileDescriptorSet.Builder set = baseline().toBuilder();
    for (FileDescriptorProto.Builder file : set.getFileBuilderList()) {
      for (var service : file.getServiceBuilderList()) {
        if (service.getName().equals("SettlementService")) {
          service.removeMethod(0); // SubmitSettlement
          service.getMethodBuilder(0).setClientStreaming(false); // UploadSettlements
        }
      }
    }
    assertThat(WireCompatibility.breakingChanges(baseline(), set.build())).containsExactlyInAnyOrder(
        "rpc hmb.v1.SettlementService.SubmitSettlement was removed",
        "rpc hmb.v1.SettlementService.UploadSettlements changed streaming");
  }

  @Test
  void detectsRemovedEnumValue() throws IOException {
    FileDescriptorSet.Builder set = baseline().toBuilder();
    String removed = null;
    for (FileDescriptorProto.Builder file : set.getFileBuilderList()) {
      for (var e : file.getEnumTypeBuilderList()) {
        if (e.getName().equals("ErrorReason")) {
          removed = e.getValue(e.getValueCount() - 1).getName(); // whichever is last once the baseline is refreshed
          e.removeValue(e.getValueCount() - 1);
        }
      }
    }
    assertThat(removed).isNotNull();
    assertThat(WireCompatibility.breakingChanges(baseline(), set.build())).hasSize(1)
        .first().asString().contains("ErrorReason." + removed + " = ");
  }

  private static FileDescriptorSet editMessage(FileDescriptorSet set, String message,
      java.util.function.Consumer<DescriptorProto.Builder> edit) {
    FileDescriptorSet.Builder copy = set.toBuilder();
    for (FileDescriptorProto.Builder file : copy.getFileBuilderList()) {
      for (DescriptorProto.Builder m : file.getMessageTypeBuilderList()) {
        if (m.getName().equals(message)) {
          edit.accept(m);
        }
      }
    }
    return copy.build();
  }
}
