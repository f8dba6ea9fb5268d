package io.hmb.api;

import com.google.protobuf.Descriptors.FileDescriptor;
import io.hmb.api.v1.ClaimProto;
import io.hmb.api.v1.CommonProto;
import io.hmb.api.v1.DeliveryProto;
import io.hmb.api.v1.EligibilityProto;
import io.hmb.api.v1.EnvelopeProto;
import io.hmb.api.v1.ErrorsProto;
import io.hmb.api.v1.PremiumProto;
import io.hmb.api.v1.ReconciliationProto;
import io.hmb.api.v1.SettlementProto;
import java.util.List;

/** Every .proto file of the public hmb.v1 API, for tooling (compatibility checks, reflection, docs). */
public final class ApiDescriptors {
  private ApiDescriptors() {}

  public static List<FileDescriptor> v1Files() {
    return List.of(
        EnvelopeProto.getDescriptor(),
        ErrorsProto.getDescriptor(),
        CommonProto.getDescriptor(),
        EligibilityProto.getDescriptor(),
        PremiumProto.getDescriptor(),
        SettlementProto.getDescriptor(),
        ClaimProto.getDescriptor(),
        ReconciliationProto.getDescriptor(),
        DeliveryProto.getDescriptor());
  }
}
