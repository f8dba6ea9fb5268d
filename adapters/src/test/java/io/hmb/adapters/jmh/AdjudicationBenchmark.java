package io.hmb.adapters.jmh;

import io.hmb.adapters.engine.Assistance;
import io.hmb.adapters.engine.BenefitEngine;
import io.hmb.adapters.engine.Claim;
import io.hmb.adapters.engine.ClaimType;
import io.hmb.adapters.engine.Costs;
import io.hmb.adapters.engine.Insured;
import io.hmb.adapters.engine.PolicyYearLedger;
import io.hmb.adapters.engine.ProductCatalog;
import io.hmb.adapters.engine.ProductTerms;
import io.hmb.adapters.engine.Scheme;
import java.time.LocalDate;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One claim adjudicated and applied to a person-year's accumulators (the one-stop-settlement hot path),
 * single-threaded, so the score is claims per second per core. A fresh ledger every 8 claims keeps the
 * accumulators realistic (deductible partly met, caps rarely reached). Run: adapters/bench.sh
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class AdjudicationBenchmark {
  @Param({"dalian-2025-upgrade", "wuwei-2025-upgrade", "liaocheng-2024"})
  String product;

  private ProductTerms terms;
  private Insured insured;
  private LocalDate day;
  private Claim[] claims;
  private PolicyYearLedger ledger;
  private int next;

  @Setup
  public void setUp() {
    terms = ProductTerms.of(ProductCatalog.shipped().get(product));
    String city = terms.product().cityAdmdvs();
    day = switch (product) {
      case "liaocheng-2024" -> LocalDate.of(2024, 6, 1);
      default -> LocalDate.of(2025, 12, 1);
    };
    insured = new Insured(LocalDate.of(1970, 1, 1), city, Scheme.RESIDENT, false, Assistance.NONE, LocalDate.of(2025, 7, 1), null);
    Random random = new Random(42);
    claims = new Claim[1024];
    for (int i = 0; i < claims.length; i++) {
      long in = random.nextInt(3_000_000);
      long b = random.nextInt(1_000_000);
      long out = random.nextInt(4_000_000);
      long pub = random.nextInt(6_000_000);
      Claim c = Claim.of("c" + i, day, ClaimType.INPATIENT, city, new Costs(pub + in + b + out, pub, in, b, out, 0, 0));
      claims[i] = new Claim(c.id(), c.date(), c.type(), c.hospitalCity(), true, null, c.costs(), null, null, null, null, 3,
          null, null, null, Claim.Items.NONE);
    }
  }

  @Benchmark
  public long adjudicateAndApply() {
    if (next % 8 == 0) ledger = new PolicyYearLedger(new BenefitEngine(), terms, insured,
        terms.product().period().value().spanFor(insured.policyStart(), day));
    Claim c = claims[next++ & (claims.length - 1)];
    return ledger.submit(c.withId("c" + next)).payoutFen();
  }
}
