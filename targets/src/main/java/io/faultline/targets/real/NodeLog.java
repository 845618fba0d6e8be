package io.faultline.targets.real;

import java.io.PrintStream;
import java.time.Instant;

/**
 * A process's log on stderr: one line per entry, {@code <wall time> <node id> <line>}. Lines from
 * the binding itself carry a {@code runtime:} prefix so they are not mistaken for the node's own.
 *
 * <p>Contract: one call writes exactly one line, whatever the text contains, and lines from
 * different threads never interleave.
 */
final class NodeLog {
  private final String nodeId;
  private final PrintStream out;

  NodeLog(String nodeId, PrintStream out) {
    this.nodeId = nodeId;
    this.out = out;
  }

  /** A line written by the node through its context. */
  void node(String line) {
    write(line);
  }

  /** A line written by the binding: connections, recovery, shutdown. */
  void runtime(String line) {
    write("runtime: " + line);
  }

  private void write(String line) {
    // The wall clock, not the monotonic one: a reader lines logs of several nodes up by it, and
    // under libfaketime it shows the skew the node itself sees.
    String stamped = Instant.ofEpochMilli(System.currentTimeMillis()) + " " + nodeId + " " + oneLine(line);
    synchronized (out) {
      out.println(stamped);
      out.flush();
    }
  }

  static String oneLine(String text) {
    if (text == null) return "null";
    if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) return text;
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }
}
