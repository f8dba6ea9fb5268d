package io.hmb.adapters.mapping;

import java.util.Set;

/**
 * How strict the reporting mapping is about fields it does not know.
 *
 * @param alsoKnown fields a caller knows to be harmless (a city's own extension of setlinfo): neither reported
 *     nor carried
 * @param unknownFieldsBlock whether an unknown field stops the mapping; by default it is reported and not
 *     carried (decision: platform versions add fields, and a field nobody reads changes no amount)
 */
public record SetlinfoOptions(Set<String> alsoKnown, boolean unknownFieldsBlock) {
  public static final SetlinfoOptions DEFAULT = new SetlinfoOptions(Set.of(), false);

  public SetlinfoOptions {
    alsoKnown = Set.copyOf(alsoKnown);
  }
}
