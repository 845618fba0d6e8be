package io.faultline.harness.runtime.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * How the ssh runtime logs in and lays out the hosts, from {@code --ssh key=value}: {@code key},
 * {@code port}, {@code known-hosts}, {@code trust-new-host-keys}, and the ports the nodes take
 * ({@code peer-port}, {@code client-port}) and the folder they live in ({@code dir}).
 */
record SshLogin(Path key, int port, Path knownHosts, boolean trustNewHostKeys, int peerPort, int clientPort, String dir) {
  private static final Set<String> KEYS = Set.of("key", "port", "known-hosts", "trust-new-host-keys", "peer-port",
      "client-port", "dir");

  /** @throws IllegalArgumentException naming the setting and what it takes */
  static SshLogin of(Map<String, String> ssh) {
    for (String k : ssh.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown --ssh setting '" + k + "'; expected one of key, port, known-hosts,"
            + " trust-new-host-keys, peer-port, client-port, dir");
      }
    }
    String home = System.getProperty("user.home");
    Path key = Path.of(ssh.getOrDefault("key", home + "/.ssh/id_ed25519"));
    if (!ssh.containsKey("key") && !Files.exists(key)) key = Path.of(home, ".ssh", "id_rsa");
    if (!Files.isReadable(key)) {
      throw new IllegalArgumentException("no private key at " + key + " to log in with; name one with --ssh key=FILE");
    }
    String trust = ssh.getOrDefault("trust-new-host-keys", "false");
    if (!trust.equals("true") && !trust.equals("false")) {
      throw new IllegalArgumentException("--ssh trust-new-host-keys takes true or false, not '" + trust + "'");
    }
    String dir = ssh.getOrDefault("dir", "/tmp/faultline-ssh");
    if (!dir.startsWith("/") || dir.contains("'") || dir.contains(" ")) {
      throw new IllegalArgumentException("--ssh dir must be an absolute path without spaces or quotes, not '" + dir + "'");
    }
    return new SshLogin(key, port(ssh, "port", 22), Path.of(ssh.getOrDefault("known-hosts", home + "/.ssh/known_hosts")),
        trust.equals("true"), port(ssh, "peer-port", 7300), port(ssh, "client-port", 8300), dir);
  }

  /** The default SSH port {@code --ssh port} gives, 22 without it. */
  static int portOf(Map<String, String> ssh) {
    return port(ssh, "port", 22);
  }

  private static int port(Map<String, String> ssh, String key, int otherwise) {
    String v = ssh.get(key);
    if (v == null) return otherwise;
    try {
      int p = Integer.parseInt(v.trim());
      if (p >= 1 && p <= 65_535) return p;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("--ssh " + key + " takes a port from 1 to 65535, not '" + v + "'");
  }
}
