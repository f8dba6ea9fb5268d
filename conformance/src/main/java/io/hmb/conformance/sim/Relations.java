package io.hmb.conformance.sim;

import io.hmb.adapters.engine.Relation;
import io.hmb.api.v1.FamilyRelation;

/** The engine's {@link Relation} and the contract's {@link FamilyRelation}, both ways. */
final class Relations {
  private Relations() {}

  static FamilyRelation toProto(Relation r) {
    return FamilyRelation.valueOf("FAMILY_RELATION_" + r.name());
  }

  /** The relation, or null when unset or unknown. */
  static Relation fromProto(FamilyRelation r) {
    if (r == FamilyRelation.FAMILY_RELATION_UNSPECIFIED || r == FamilyRelation.UNRECOGNIZED) {
      return null;
    }
    return Relation.valueOf(r.name().substring("FAMILY_RELATION_".length()));
  }

  static boolean direct(Relation r) {
    return r != null && r != Relation.OTHER;
  }
}
