package io.hmb.adapters.engine;

/** The insured's relation to the personal-account holder who pays ({@code hmb.v1.FamilyRelation}). */
public enum Relation { SELF, SPOUSE, CHILD, PARENT, PARENT_IN_LAW, OTHER }
