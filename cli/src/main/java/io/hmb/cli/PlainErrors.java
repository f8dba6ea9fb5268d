package io.hmb.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What a command that fails prints: one line that says what went wrong and what to do, never a stack
 * trace (unless {@code --verbose}). An invalid setting (IllegalArgumentException, e.g. a port out of range:
 * the configuration lists every problem) is a usage error, exit 2; anything else could not be done, exit 1.
 */
final class PlainErrors implements IExecutionExceptionHandler {
  static final int USAGE = 2;
  static final int FAILED = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    err.println("hmb " + command.getCommandName() + ": " + oneLine(e)
        + (verbose(parsed) ? "" : " (--verbose shows the details)"));
    if (verbose(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return e instanceof IllegalArgumentException ? USAGE : FAILED;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The most telling message of the cause chain, on one line. */
  static String oneLine(Throwable e) {
    Throwable deepest = e;
    while (deepest.getCause() != null && deepest.getCause() != deepest) {
      deepest = deepest.getCause();
    }
    String top = message(e);
    String root = message(deepest);
    String text = deepest == e || top.contains(root) ? top : top + ": " + root;
    return text.replaceAll("[\\r\\n\\t]+", " ").strip();
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
