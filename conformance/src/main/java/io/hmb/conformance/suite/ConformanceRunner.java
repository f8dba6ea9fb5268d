package io.hmb.conformance.suite;

import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs cases one after another, each with a time limit, and turns every ending into a {@link CaseResult}:
 * passed, failed with the case's message (or the unexpected exception), or skipped.
 */
public final class ConformanceRunner<C> {
  private final Map<ConformanceCase, CaseBody<C>> bodies;
  private final Duration timeLimit;

  public ConformanceRunner(Map<ConformanceCase, CaseBody<C>> bodies, Duration timeLimit) {
    this.bodies = bodies;
    this.timeLimit = timeLimit;
  }

  /**
   * @param contexts makes a fresh context per case; the context's exchanges are read back with {@code exchanges}
   * @param progress told about each result as soon as it is known (a long run shows progress)
   */
  public List<CaseResult> run(List<ConformanceCase> cases, Supplier<C> contexts,
      java.util.function.Function<C, List<CaseResult.Exchange>> exchanges, Consumer<CaseResult> progress) {
    List<CaseResult> results = new ArrayList<>();
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "conformance-case");
      t.setDaemon(true);
      return t;
    });
    try {
      for (ConformanceCase c : cases) {
        CaseResult result = runOne(c, contexts.get(), exchanges, executor);
        results.add(result);
        progress.accept(result);
      }
    } finally {
      executor.shutdownNow();
    }
    return results;
  }

  private CaseResult runOne(ConformanceCase c, C context, java.util.function.Function<C, List<CaseResult.Exchange>> exchanges,
      ExecutorService executor) {
    CaseBody<C> body = bodies.get(c);
    long start = System.nanoTime();
    CaseResult.Outcome outcome = CaseResult.Outcome.PASSED;
    String message = "";
    if (body == null) {
      outcome = CaseResult.Outcome.SKIPPED;
      message = "not implemented by this suite version";
    } else {
      Future<?> running = executor.submit(() -> {
        body.run(context);
        return null;
      });
      try {
        running.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        running.cancel(true);
        outcome = CaseResult.Outcome.FAILED;
        message = "no result within " + timeLimit.toSeconds() + " s";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome = CaseResult.Outcome.FAILED;
        message = "interrupted";
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof CaseBody.Skip skip) {
          outcome = CaseResult.Outcome.SKIPPED;
          message = skip.getMessage();
        } else {
          outcome = CaseResult.Outcome.FAILED;
          message = describe(cause);
        }
      }
    }
    return new CaseResult(c.id(), c.capability(), c.description(), c.requirement(), outcome, message,
        Duration.ofNanos(System.nanoTime() - start), context == null ? List.of() : exchanges.apply(context));
  }

  static String describe(Throwable failure) {
    if (failure instanceof AssertionError) {
      return String.valueOf(failure.getMessage());
    }
    if (failure instanceof StatusRuntimeException e) {
      return "unexpected gRPC status " + e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
