package io.hmb.adapters.engine;

/** A decision where the seed is silent or ambiguous that is not attached to a single rule value. */
public record Reading(String name, String choice, String clause) {}
