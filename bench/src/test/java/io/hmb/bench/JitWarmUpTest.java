package io.hmb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The warm-up runs again while the compilers were busy, and stops at the first quiet cycle or at the limit. */
class JitWarmUpTest {
  private final StringWriter printed = new StringWriter();
  private final AtomicLong compilerMillis = new AtomicLong();
  private final AtomicInteger cyclesRun = new AtomicInteger();

  /** A cycle of about 50 ms whose compilers were busy for {@code busyMillis[i]} in cycle i (the last one repeats). */
  private JitWarmUp.EveryScenario cycles(long... busyMillis) {
    return () -> {
      int i = Math.min(cyclesRun.getAndIncrement(), busyMillis.length - 1);
      Thread.sleep(50);
      compilerMillis.addAndGet(busyMillis[i]);
    };
  }

  @Test
  void stopsAtTheFirstQuietCycle() throws InterruptedException {
    // 400 ms of compiling in a cycle of 50 ms or more: busy unless the cycle took 20 s; 0 ms: quiet
    List<JitWarmUp.Cycle> done = new JitWarmUp(compilerMillis::get).run(cycles(400, 400, 0), new PrintWriter(printed));

    assertThat(done).hasSize(3);
    assertThat(done.get(0).compilerSeconds()).isEqualTo(0.4);
    assertThat(done.get(0).compilerShare()).isGreaterThan(JitWarmUp.QUIET_SHARE);
    assertThat(done.get(2).compilerShare()).isZero();
    assertThat(printed.toString()).contains("JIT warm-up cycle 1: ").contains("compilers busy 0.0 s (0.0%; quiet at 5% "
        + "or less)");
  }

  @Test
  void stopsAtTheLimitWhenTheCompilersNeverQuieten() throws InterruptedException {
    List<JitWarmUp.Cycle> done = new JitWarmUp(compilerMillis::get).run(cycles(400), new PrintWriter(printed));

    assertThat(done).hasSize(JitWarmUp.MAX_CYCLES);
    assertThat(cyclesRun).hasValue(JitWarmUp.MAX_CYCLES);
  }

  @Test
  void oneCycleWhereTheJvmDoesNotReportItsCompilers() throws InterruptedException {
    List<JitWarmUp.Cycle> done = new JitWarmUp(null).run(cycles(40), new PrintWriter(printed));

    assertThat(done).hasSize(1);
    assertThat(done.get(0).compilerSeconds()).isNegative();
    assertThat(printed.toString()).contains("does not report its compilers' time: one cycle only");
  }

  @Test
  void thisJvmReportsItsCompilers() {
    // HotSpot does: the bench relies on it, so a JVM that stops reporting is noticed here rather than in a run
    assertThat(JitWarmUp.thisJvm()).isNotNull();
    assertThat(JitWarmUp.thisJvm().getAsLong()).isNotNegative();
  }
}
