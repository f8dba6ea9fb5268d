package io.hmb.adapters.cases;

import java.util.List;

/** A case file that does not have the case shape; lists every problem. */
public final class CaseFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public CaseFileException(String file, List<String> problems) {
    super(file + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
