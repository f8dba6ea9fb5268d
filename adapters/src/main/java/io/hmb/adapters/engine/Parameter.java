package io.hmb.adapters.engine;

/** A value the product needs from outside the file (e.g. a published income figure), fen. */
public record Parameter(String name, String description, String clause, Long defaultValue) {}
