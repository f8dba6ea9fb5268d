package io.hmb.adapters.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random but valid people and claims for a product, from a seeded {@link Random}. */
final class ClaimGenerator {
  static final Map<String, Long> CRITICAL_ILLNESS_INCOME = Map.of("prior_year_disposable_income_fen", 4_800_000L);

  private final Random random;
  private final Product product;
  private final boolean wholeYuan;

  ClaimGenerator(Random random, Product product, boolean wholeYuan) {
    this.random = random;
    this.product = product;
    this.wholeYuan = wholeYuan;
  }

  ProductTerms terms() {
    return ProductTerms.of(product, product.parameters().isEmpty() ? Map.of() : CRITICAL_ILLNESS_INCOME);
  }

  Insured insured() {
    Assistance[] a = Assistance.values();
    LocalDate birth = LocalDate.of(1940 + random.nextInt(80), 1 + random.nextInt(12), 1 + random.nextInt(28));
    String city = random.nextInt(10) == 0 ? "110000" : product.cityAdmdvs();
    return new Insured(birth, city, random.nextBoolean() ? Scheme.RESIDENT : Scheme.EMPLOYEE, random.nextInt(4) == 0,
        a[random.nextInt(a.length)], policyStart(), List.of());
  }

  LocalDate policyStart() {
    return product.period().value().kind() == PolicyPeriod.Kind.FROM_ENROLMENT ? LocalDate.of(2025, 7, 1) : null;
  }

  PolicyPeriod.Span span() {
    return product.period().value().spanFor(policyStart(), LocalDate.of(2025, 6, 1));
  }

  List<Claim> claims(int n) {
    List<Claim> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(claim("c" + i));
    return out;
  }

  Claim claim(String id) {
    List<ClaimType> types = new ArrayList<>();
    product.liabilities().forEach(l -> types.addAll(l.claimTypes().value()));
    if (random.nextInt(8) == 0) types.add(ClaimType.OUTPATIENT);
    ClaimType type = types.get(random.nextInt(types.size()));
    PolicyPeriod.Span span = span();
    int days = (int) (span.endExclusive().toEpochDay() - span.start().toEpochDay());
    LocalDate date = span.start().plusDays(random.nextInt(days));
    long in = amount();
    long b = amount();
    long out = amount();
    long excluded = random.nextInt(5) == 0 ? amount() : 0;
    long pub = amount();
    Costs costs = new Costs(pub + in + b + out + excluded, pub, in, b, out, excluded, 0);
    String city = random.nextInt(6) == 0 ? "110000" : product.cityAdmdvs();
    var drugList = firstList(c -> c.drugs() == null ? null
        : new Cited<>(c.drugs().value().stream().map(DrugListing::name).toList(), c.drugs().clause(), null));
    var drugs = drugList;
    var pharmacies = firstList(c -> c.pharmacies());
    var institutions = firstList(c -> c.institutions());
    return new Claim(id, date, type, city, random.nextInt(20) != 0, random.nextBoolean(), costs,
        drugs == null ? null : drugs.get(random.nextInt(drugs.size())),
        pharmacies == null ? null : pharmacies.get(random.nextInt(pharmacies.size())), random.nextInt(10) != 0,
        random.nextBoolean(), 1 + random.nextInt(3), institutions == null ? null : institutions.get(0),
        random.nextInt(3) == 0 ? Boolean.TRUE : null, null,
        // no amount facts: the splitting properties split costs, and item amounts would not follow
        new Claim.Items(null, null, random.nextBoolean() ? Boolean.TRUE : null, null, null));
  }

  private List<String> firstList(java.util.function.Function<Conditions, Cited<List<String>>> f) {
    for (Liability l : product.liabilities()) {
      var c = f.apply(l.conditions());
      if (c != null) return c.value();
    }
    return null;
  }

  /** Mostly ordinary bills, sometimes large enough to reach caps. */
  private long amount() {
    long yuan = switch (random.nextInt(10)) {
      case 0 -> 0;
      case 1 -> random.nextInt(3_000_000);
      default -> random.nextInt(60_000);
    };
    return wholeYuan ? yuan * 100 : yuan * 100 + random.nextInt(100);
  }

  /** Splits a claim's buckets into two claims on the same day. */
  List<Claim> split(Claim c) {
    Costs k = c.costs();
    long in = part(k.inscopeCopayFen());
    long b = part(k.classBPriorSelfpayFen());
    long out = part(k.outOfCatalogueFen());
    long ex = part(k.excludedFen());
    long pub = part(k.publicPaidFen());
    Costs first = new Costs(pub + in + b + out + ex, pub, in, b, out, ex, 0);
    Costs second = new Costs(k.totalFen() - first.totalFen(), k.publicPaidFen() - pub, k.inscopeCopayFen() - in,
        k.classBPriorSelfpayFen() - b, k.outOfCatalogueFen() - out, k.excludedFen() - ex, 0);
    return List.of(c.withId(c.id() + "a").withCosts(first), c.withId(c.id() + "b").withCosts(second));
  }

  private long part(long fen) {
    long p = fen == 0 ? 0 : (long) (random.nextDouble() * fen);
    return wholeYuan ? p / 100 * 100 : p;
  }
}
