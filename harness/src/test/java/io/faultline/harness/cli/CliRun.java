package io.faultline.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One run of the command line in this JVM, as a user sees it: the exit code and both streams. */
record CliRun(int exit, String out, String err) {
  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** The one line printed on stdout (a verdict) or stderr (an error), failing when there are more. */
  String line(String of) {
    String text = of.equals("out") ? out : err;
    assertEquals(1, text.lines().count(), "one line on std" + of + ": " + this);
    return text.strip();
  }

  /** A sweep's per-seed lines. */
  List<String> seedLines() {
    return out.lines().filter(l -> l.startsWith("seed ") && !l.contains(":")).toList();
  }
}
