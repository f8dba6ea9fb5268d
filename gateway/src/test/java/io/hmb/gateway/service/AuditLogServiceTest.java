package io.hmb.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.stub.StreamObserver;
import io.hmb.api.Errors;
import io.hmb.api.v1.ErrorReason;
import io.hmb.api.v1.GetCheckpointRequest;
import io.hmb.api.v1.SignedCheckpoint;
import io.hmb.gateway.audit.AuditCheckpoints;
import io.hmb.gateway.db.Transactions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Before a node's first checkpoint (a moment after start) the log has nothing signed to show. */
class AuditLogServiceTest {
  @Test
  void beforeTheFirstCheckpointACallerIsToldToRetry(@TempDir Path dataDir) throws Exception {
    // Opening reads only the node's files; nothing is signed until the first checkpoint() runs.
    AuditCheckpoints checkpoints = AuditCheckpoints.open(dataDir, new Transactions(null), Clock.systemUTC());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    new AuditLogServiceImpl(new Transactions(null), checkpoints).getCheckpoint(GetCheckpointRequest.getDefaultInstance(),
        new StreamObserver<SignedCheckpoint>() {
          @Override
          public void onNext(SignedCheckpoint value) {
            throw new AssertionError("no checkpoint exists yet: " + value);
          }

          @Override
          public void onError(Throwable t) {
            failure.set(t);
          }

          @Override
          public void onCompleted() {}
        });
    assertThat(Errors.reason(failure.get())).contains(ErrorReason.AUDIT_CHECKPOINT_UNAVAILABLE);
    assertThat(Errors.retryDelay(failure.get())).contains(Duration.ofSeconds(1));
  }
}
