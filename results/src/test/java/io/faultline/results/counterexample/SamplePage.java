package io.faultline.results.counterexample;

import io.faultline.checkers.Validity;
import io.faultline.checkers.linear.Analysis;
import io.faultline.checkers.linear.PartitionVerdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a sample page for people to look at while working on the drawing:
 * {@code java -cp <test classpath> io.faultline.results.counterexample.SamplePage out.html}.
 * Two failing keys (a simulated register with a planted stale read, and the textbook one), a key
 * that timed out and a few valid ones.
 */
final class SamplePage {
  private SamplePage() {}

  static Analysis analysis() {
    List<PartitionVerdict> parts = new ArrayList<>();
    parts.add(Samples.falseVerdict(Samples.simulated("x", 5, 400, 3)));
    parts.add(Samples.falseVerdict(Samples.staleRead("y")));
    parts.add(new PartitionVerdict("z", Validity.UNKNOWN, "timed out after 30 s", 5000, 9_000_000, null));
    for (int i = 0; i < 5; i++) parts.add(new PartitionVerdict("k" + i, Validity.TRUE, "", 200 + i, 900, null));
    return new Analysis("cas-register", Validity.FALSE, parts, 1_234_000_000L);
  }

  /** Fifty clients all writing when a read returns a value none of them wrote. */
  static Analysis fiftyProcesses() {
    Samples.H h = new Samples.H("k");
    for (long p = 0; p < 50; p++) h.invoke(p, "write", p);
    h.invoke(50, "read", null).ok(50, "read", 1000L);
    for (long p = 0; p < 50; p++) h.ok(p, "write", p);
    var ops = h.operations();
    List<io.faultline.checkers.linear.Counterexample.Attempt> attempts = new ArrayList<>();
    attempts.add(Samples.attempt(ops.get(50), "read 1000 but state is nil"));
    for (int p = 0; p < 50; p++) {
      attempts.add(Samples.attempt(ops.get(p), "can follow, but then read 1000 still fails: state would be " + p));
    }
    return Samples.analysis(new io.faultline.checkers.linear.Counterexample("register", "k", "nil", ops, List.of(),
        ops.get(50), 51, attempts));
  }

  /** Usage: {@code SamplePage [out.html [sample|large|fifty]]}. */
  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "/tmp/faultline-sample-counterexample.html");
    String kind = args.length > 1 ? args[1] : "sample";
    Analysis a = switch (kind) {
      case "large" -> Samples.analysis(Samples.simulated("x", 10, 100_000, 7));
      case "fifty" -> fiftyProcesses();
      default -> analysis();
    };
    CounterexamplePage.write(a, "raft-register 20261124T120000", out);
    System.out.println(out);
  }
}
