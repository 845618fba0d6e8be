package io.faultline.harness.run;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The one live line of a running test: elapsed time, operations ok / fail / info, the faults in
 * force. On a terminal it is redrawn in place every second; otherwise (CI logs) it is printed as a
 * plain line every ten seconds so logs stay readable.
 */
final class StatusLine {
  private final PrintWriter out;
  private final HistoryLog history;
  private final Supplier<String> faults;
  private final boolean terminal = System.console() != null;
  private Thread thread;

  StatusLine(PrintWriter out, HistoryLog history, Supplier<String> faults) {
    this.out = out;
    this.history = history;
    this.faults = faults;
  }

  void start() {
    thread = new Thread(this::loop, "status-line");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    if (thread == null) return;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal) {
      out.print("\r" + line() + "\n");
      out.flush();
    }
  }

  String line() {
    long s = history.now() / 1_000_000_000L;
    long refused = history.refusals();
    return String.format(Locale.ROOT, "%3d:%02d  ok %d  refused %d  rejected %d  info %d  faults: %s", s / 60, s % 60,
        history.oks(), refused, history.fails() - refused, history.infos(), faults.get());
  }

  private void loop() {
    long period = terminal ? 1000 : 10_000;
    try {
      while (true) {
        Thread.sleep(period);
        String line = line();
        if (terminal) out.print("\r\033[K" + line);
        else out.println(line);
        out.flush();
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }
}
