package io.hmb.adapters.engine;

import java.util.List;

/** A product file that does not validate; lists every problem found, not only the first. */
public final class ProductFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final List<String> problems;

  public ProductFileException(String source, List<String> problems) {
    super(source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n  - "
        + String.join("\n  - ", problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  public String source() {
    return source;
  }

  /** Each problem as "path: what is wrong", in file order. Tests pin these strings. */
  public List<String> problems() {
    return problems;
  }
}
