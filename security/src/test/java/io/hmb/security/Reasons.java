package io.hmb.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hmb.security.EnvelopeException.Reason;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertion helpers for EnvelopeException reasons. */
final class Reasons {
  private Reasons() {}

  static EnvelopeException rejected(ThrowingCallable call, Reason expected) {
    EnvelopeException e = catchThrowableOfType(EnvelopeException.class, call);
    assertThat(e).as("expected rejection with " + expected).isNotNull();
    assertThat(e.reason()).isEqualTo(expected);
    assertPlainSentence(e);
    assertThat(e.getCause()).isNull();
    return e;
  }

  static EnvelopeException rejectedWithField(ThrowingCallable call, Reason expected, String field) {
    EnvelopeException e = rejected(call, expected);
    assertThat(e.field()).contains(field);
    return e;
  }

  static Reason rejectedWithOneOf(ThrowingCallable call, Set<Reason> allowed) {
    EnvelopeException e = catchThrowableOfType(EnvelopeException.class, call);
    assertThat(e).as("expected a rejection").isNotNull();
    assertThat(allowed).contains(e.reason());
    return e.reason();
  }

  /** A sentence for a person, on one line, naming the field where one applies; nothing from below (no cause). */
  static void assertPlainSentence(EnvelopeException e) {
    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("Exception")
        .doesNotContain(e.reason().name()).matches("[a-z].*[a-z)0-9]");
    e.field().ifPresent(f -> assertThat(e.getMessage()).contains("header." + f));
  }
}
