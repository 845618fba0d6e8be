package io.faultline.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline check} on input made to hurt it. Every input is generated here; whatever it is,
 * the answer is one line and a Jepsen exit code, and 1 only for a history proved invalid.
 */
class CheckHostileInputTest {
  @TempDir
  Path tmp;

  private record Run(int exit, String out, String err) {
    /** The one line printed on stdout (a verdict) or stderr (an error), failing when there are more. */
    String line(String of) {
      String text = of.equals("out") ? out : err;
      assertEquals(1, text.lines().count(), "one line on std" + of + ": " + this);
      return text.strip();
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(tmp.resolve(name), content);
  }

  private static void assertContains(String expected, String actual) {
    assertTrue(actual.contains(expected), "expected '" + expected + "' in: " + actual);
  }

  @Test
  void ednNestedThousandsDeepIsBadInputInOneLine() throws IOException {
    Path deep = file("deep.edn", "[".repeat(4000));
    Run r = run("check", deep.toString(), "--model", "register");
    assertEquals(254, r.exit(), r.toString());
    assertEquals("", r.out());
    String line = r.line("err");
    assertTrue(line.startsWith("faultline: " + deep + ":1: nested deeper than 100 levels;"), line);
  }

  @Test
  void jsonNestedThousandsDeepIsBadInputInOneLine() throws IOException {
    Path deep = file("deep.jsonl", "{\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":"
        + "[".repeat(4000) + "]".repeat(4000) + "}\n");
    Run r = run("check", deep.toString(), "--model", "register");
    assertEquals(254, r.exit(), r.toString());
    assertTrue(r.line("err").startsWith("faultline: " + deep + ":1: nested deeper than 100 levels;"), r.err());
  }

  @Test
  void anInitNestedThousandsDeepIsABadArgument() throws IOException {
    Path ok = file("ok.jsonl", "");
    Run r = run("check", ok.toString(), "--model", "register", "--init", "[".repeat(4000));
    assertEquals(254, r.exit(), r.toString());
    assertContains("nested deeper than 100 levels", r.line("err"));
  }

  /**
   * A stack so small that reading a history nested just under the bound overflows it: still bad
   * input in one line, never a trace and never exit 1 (what an Error escaping main would give).
   */
  @Test
  void aStackOverflowIsNeverInvalid() throws Exception {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < 50; i++) {
      String nested = "[".repeat(90) + i + "]".repeat(90);
      sb.append("{:type :invoke, :process ").append(i).append(", :f :write, :value ").append(nested).append("}\n");
    }
    Path deep = file("almost.edn", sb.append("]").toString());
    // Once on this thread, so that loading classes is not what overflows the small stack.
    assertEquals(0, run("check", deep.toString(), "--model", "register").exit());
    for (int kib : new int[] {32, 64}) {
      Run[] r = new Run[1];
      Thread t = new Thread(null, () -> r[0] = run("check", deep.toString(), "--model", "register"), "small", kib << 10);
      t.start();
      t.join();
      assertEquals(254, r[0].exit(), kib + " KiB: " + r[0]);
      assertEquals("faultline: " + deep + ": nested too deep to read (ran out of stack); check that it is a history",
          r[0].line("err"));
    }
  }
}
