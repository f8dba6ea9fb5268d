package io.hmb.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One {@code hmb} command run in-process, as a terminal would run it: its exit code and what it printed. */
record HmbRun(int exit, String out, String err) {
  static HmbRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Hmb.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return new HmbRun(cl.execute(args), out.toString(), err.toString());
  }
}
