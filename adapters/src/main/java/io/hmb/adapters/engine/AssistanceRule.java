package io.hmb.adapters.engine;

import java.util.List;

/** Lower threshold and flat ratio for assisted people (大病 第十二条). */
public record AssistanceRule(Cited<List<Assistance>> statuses, Cited<Integer> deductibleReductionBp,
    Cited<Integer> flatRatioBp) {

  public boolean appliesTo(Assistance a) {
    return statuses.value().contains(a);
  }
}
