package io.hmb.adapters.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A product with its parameters bound (e.g. the prior year's income for 大病), so every deductible is
 * a number. Refuses missing or unknown parameters.
 */
public final class ProductTerms {
  private final Product product;
  private final Map<String, Long> parameters;
  private final Map<String, Long> deductibles = new HashMap<>();

  private ProductTerms(Product product, Map<String, Long> given) {
    this.product = product;
    Map<String, Long> bound = new HashMap<>();
    var unknown = new TreeSet<>(given.keySet());
    var missing = new TreeSet<String>();
    for (Parameter p : product.parameters()) {
      unknown.remove(p.name());
      Long v = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
      if (v == null) missing.add(p.name());
      else if (v < 0 || v > Money.MAX_AMOUNT_FEN) {
        throw new IllegalArgumentException(product.code() + ": parameter " + p.name() + " out of range: " + v);
      } else bound.put(p.name(), v);
    }
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalArgumentException(product.code() + ": parameters missing " + missing + ", unknown " + unknown);
    }
    this.parameters = Map.copyOf(bound);
    for (DeductibleGroup g : product.deductibleGroups()) {
      long fen = g.amountFen() != null ? g.amountFen().value()
          : Money.applyBpHalfUp(parameters.get(g.fromParameter()), g.shareBp().value());
      deductibles.put(g.id(), fen);
    }
  }

  public static ProductTerms of(Product product, Map<String, Long> parameters) {
    return new ProductTerms(product, parameters == null ? Map.of() : parameters);
  }

  public static ProductTerms of(Product product) {
    return of(product, Map.of());
  }

  public Product product() {
    return product;
  }

  public Map<String, Long> parameters() {
    return parameters;
  }

  /**
   * The annual deductible of a group for this person: the assistance rule lowers it (大病 第十二条); the
   * lowered figure is rounded half-up to the fen.
   */
  public long deductibleFen(String group, Assistance assistance) {
    long base = deductibles.get(group);
    var rule = product.assistanceRule();
    if (rule.isPresent() && rule.get().appliesTo(assistance)) {
      return Money.applyBpHalfUp(base, (int) (Money.BP - rule.get().deductibleReductionBp().value()));
    }
    return base;
  }
}
