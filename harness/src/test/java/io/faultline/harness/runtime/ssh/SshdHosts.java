package io.faultline.harness.runtime.ssh;

import io.faultline.harness.runtime.netns.NetnsHosts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real SSH hosts for the ssh runtime's tests: one network namespace per host (made by the netns
 * runtime's {@link NetnsHosts}), each running its own OpenSSH sshd on port 22 of its address with a
 * host key made for it, one client key pair, and a known_hosts file that names every host's key.
 * Needs root, iproute2, iptables and openssh-server ({@code .ci/run} installs them).
 */
final class SshdHosts implements AutoCloseable {
  final NetnsHosts network;
  final List<String> ids;
  final Path dir;
  final Path clientKey;
  final Path knownHosts;
  private final List<Process> daemons = new ArrayList<>();

  static boolean available() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/sshd"))
        && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"))
        && (Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables")));
  }

  SshdHosts(List<String> ids, Path dir) throws Exception {
    this.ids = List.copyOf(ids);
    this.dir = Files.createDirectories(dir);
    this.clientKey = dir.resolve("client_key");
    this.knownHosts = dir.resolve("known_hosts");
    keygen(clientKey);
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation folder
    network = NetnsHosts.create(ids, dir.resolve("netns"));
    try {
      StringBuilder known = new StringBuilder();
      for (String id : ids) {
        Path hostKey = dir.resolve(id + "_host_key");
        keygen(hostKey);
        String address = network.address(id);
        Path config = dir.resolve(id + "_sshd_config");
        Files.writeString(config, String.join("\n",
            "ListenAddress " + address + ":22",
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "Subsystem sftp internal-sftp",
            "StrictModes no",
            "PidFile " + dir.resolve(id + "_sshd.pid"),
            "") );
        List<String> command = new ArrayList<>(network.enter(id));
        command.addAll(List.of("/usr/sbin/sshd", "-D", "-e", "-f", config.toString()));
        daemons.add(new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(dir.resolve(id + "_sshd.log").toFile()).start());
        String[] pub = Files.readString(dir.resolve(id + "_host_key.pub")).trim().split(" ");
        known.append(address).append(' ').append(pub[0]).append(' ').append(pub[1]).append('\n');
        awaitPort(address, 22);
      }
      Files.writeString(knownHosts, known.toString());
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** The spec's {@code hosts} and {@code ssh} for these hosts, the remote folder under {@code remoteDir}. */
  Map<String, Object> spec(Path remoteDir) {
    List<String> hosts = new ArrayList<>();
    for (String id : ids) hosts.add("root@" + network.address(id));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("hosts", hosts);
    out.put("ssh", Map.of("key", clientKey.toString(), "known-hosts", knownHosts.toString(), "dir", remoteDir.toString()));
    return out;
  }

  /** The pids in a host's namespace other than its sshd's: what a run left running there. */
  List<Long> strays(String id) throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "pids", namespace(id)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    long sshd = daemons.get(ids.indexOf(id)).pid();
    List<Long> strays = new ArrayList<>();
    for (String line : out.strip().lines().toList()) {
      long pid = Long.parseLong(line.trim());
      // sshd itself, and the session processes it forks for a moment per connection
      if (pid == sshd || ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("").endsWith("sshd")) continue;
      strays.add(pid);
    }
    return strays;
  }

  /** The host's iptables rules, as {@code iptables -S} lists them there. */
  String rules(String id) throws Exception {
    List<String> command = new ArrayList<>(network.enter(id));
    command.addAll(List.of("iptables", "-w", "-S"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private String namespace(String id) {
    List<String> enter = network.enter(id);
    return enter.get(enter.size() - 1);
  }

  @Override
  public void close() {
    for (Process d : daemons) {
      d.destroy();
      try {
        if (!d.waitFor(5, TimeUnit.SECONDS)) d.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (network != null) network.close();
  }

  private static void keygen(Path key) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) throw new IOException("ssh-keygen failed for " + key);
  }

  private static void awaitPort(String host, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 500);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) throw new IOException("sshd on " + host + ":" + port + " did not come up", e);
        Thread.sleep(50);
      }
    }
  }
}
