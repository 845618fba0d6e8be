package io.faultline.harness.runtime;

import io.faultline.nemesis.FaultException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the system tools a runtime drives ({@code ip}, {@code iptables}, {@code debootstrap}, {@code
 * tar}), one command at a time, and turns a failure into one line that quotes what the tool said.
 */
public final class Shell {
  private static final long TIMEOUT_SECONDS = 20;
  /** The Debian package of each tool a runtime runs, for the line that says how to install it. */
  public static final Map<String, String> PACKAGES = Map.of("ip", "iproute2", "iptables", "iptables",
      "debootstrap", "debootstrap", "dockerd", "docker.io", "tar", "tar");

  private Shell() {}

  /**
   * Runs {@code command} and returns what it printed.
   *
   * @throws FaultException naming the command and quoting its error output when it fails or hangs
   */
  public static String run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new FaultException("cannot run " + command.get(0) + " (" + e.getMessage() + "); install it (apt-get install "
          + PACKAGES.getOrDefault(command.get(0), command.get(0)) + ")", e);
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
  public static boolean tryRun(List<String> command) {
    try {
      run(command);
      return true;
    } catch (FaultException e) {
      return false;
    }
  }

  /** Whether {@code name} is a program on the PATH or in the system folders a root shell has on its PATH. */
  public static boolean installed(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return true;
    }
    return false;
  }
}
