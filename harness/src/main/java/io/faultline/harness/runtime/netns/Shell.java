package io.faultline.harness.runtime.netns;

import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ip} and {@code iptables}, one command at a time, and turns a failure into one line. */
final class Shell {
  private static final long TIMEOUT_SECONDS = 20;

  private Shell() {}

  /**
   * Runs {@code command} and returns what it printed.
   *
   * @throws FaultException naming the command and quoting its error output when it fails or hangs
   */
  static String run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new FaultException("cannot run " + command.get(0) + " (" + e.getMessage() + "); install iproute2 and"
          + " iptables (apt-get install iproute2 iptables)", e);
    }
    try {
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new FaultException(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new FaultException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
            + String.join(" | ", text.strip().lines().toList()));
      }
      return text;
    } catch (IOException e) {
      throw new FaultException(String.join(" ", command) + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new FaultException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** As {@link #run}, for a step that may already be undone (a namespace gone): false instead of throwing. */
  static boolean tryRun(List<String> command) {
    try {
      run(command);
      return true;
    } catch (FaultException e) {
      return false;
    }
  }

  /** Whether {@code name} is a program on the PATH or in the system folders a root shell has on its PATH. */
  static boolean installed(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
    }
    return false;
  }
}
