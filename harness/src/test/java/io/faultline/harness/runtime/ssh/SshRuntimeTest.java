package io.faultline.harness.runtime.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.harness.Registries;
import io.faultline.harness.cli.Main;
import io.faultline.harness.run.TestSpec;
import io.faultline.harness.runtime.EnvironmentException;
import io.faultline.harness.runtime.Runtime;
import io.faultline.harness.target.Target;
import io.faultline.results.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline test --runtime ssh} on three real sshd hosts: the default Raft register test is
 * valid and {@code --bug stale-read} is caught, as on the other runtimes; a host key known_hosts
 * lacks, a port nobody answers and a key the host refuses each end in one line naming the fix,
 * with nothing left on the hosts.
 */
class SshRuntimeTest {
  private static SshdHosts hosts;
  private static Path root;
  @TempDir Path tmp;

  @BeforeAll
  static void startHosts() throws Exception {
    Assumptions.assumeTrue(SshdHosts.available(), "not root, or no sshd, ssh-keygen or iptables (apt-get install"
        + " openssh-server iptables): the ssh runtime is not tested");
    root = Files.createTempDirectory("faultline-sshd");
    hosts = new SshdHosts(List.of("n1", "n2", "n3"), root.resolve("hosts"));
  }

  @AfterAll
  static void stopHosts() {
    if (hosts != null) hosts.close();
  }

  /** Two Raft runs over ssh: in {@code -Plong}, as the docker runtime's are; the default suite keeps the conformance kit. */
  @Test
  @EnabledIfSystemProperty(named = "faultline.long", matches = "true")
  void theDefaultTestIsValidAndStaleReadIsCaught() throws Exception {
    assertEquals(0, faultline(List.of()), "the correct Raft is valid over ssh");
    assertEquals(1, faultline(List.of("--bug", "stale-read")), "a stale read is caught over ssh");
    for (String id : List.of("n1", "n2", "n3")) {
      Path log = tmp.resolve("store").resolve(Store.LATEST).resolve(Store.NODES).resolve(id).resolve(Store.NODE_LOG);
      assertTrue(Files.isRegularFile(log) && Files.readString(log).contains("runtime: target raft"), "the run keeps " + id + "'s log: " + log);
    }
    for (String id : hosts.ids) assertEquals(List.of(), hosts.strays(id), "nothing left running on " + id);
    try (Stream<Path> left = Files.list(root.resolve("remote"))) {
      assertEquals(List.of(), left.toList(), "the runs' folders on the hosts are removed");
    }
  }

  @Test
  void aHostKeyThatKnownHostsLacksIsRefusedInOneLine() throws Exception {
    Path empty = Files.writeString(tmp.resolve("known_hosts"), "");
    String why = refusal(Map.of("known-hosts", empty.toString()), hostList(22));
    assertTrue(why.contains("host key") && why.contains("ssh-keyscan"), why);
  }

  @Test
  void aPortNobodyAnswersIsRefusedInOneLine() throws Exception {
    String why = refusal(Map.of(), hostList(2999));
    assertTrue(why.contains("cannot reach") && why.contains("sshd"), why);
    // From the command line: the environment cannot run the test, which is neither a verdict nor bad input.
    List<String> args = new ArrayList<>(List.of("test", "--runtime", "ssh", "--time-limit", "5s", "--store",
        tmp.resolve("store").toString(), "--ssh", "key=" + hosts.clientKey, "--ssh", "known-hosts=" + hosts.knownHosts));
    for (String h : hostList(2999)) args.addAll(List.of("--hosts", h));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(255, Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)), out + "" + err);
    assertEquals(1, err.toString().lines().count(), "one line: " + err);
    assertTrue(err.toString().startsWith("faultline: cannot reach"), err.toString());
  }

  @Test
  void aKeyTheHostRefusesIsRefusedInOneLine() throws Exception {
    Path other = tmp.resolve("other_key");
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start();
    assertEquals(0, p.waitFor());
    String why = refusal(Map.of("key", other.toString()), hostList(22));
    assertTrue(why.contains("refused the key") && why.contains("authorized_keys"), why);
  }

  @Test
  void hostsMustMatchTheNodes() {
    Runtime ssh = Registries.RUNTIMES.get("ssh");
    Target raft = Registries.TARGETS.get("raft");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ssh.check(raft, TestSpec.DEFAULTS.with(Map.of("runtime", "ssh", "hosts", List.of("root@10.0.0.1")))));
    assertTrue(e.getMessage().contains("needs 3 hosts"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ssh.check(raft, TestSpec.DEFAULTS.with(Map.of("runtime", "ssh",
        "hosts", List.of("root@10.0.0.1", "root@10.0.0.1", "root@10.0.0.2")))));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ssh.check(raft, TestSpec.DEFAULTS.with(Map.of("runtime", "ssh"))));
    assertTrue(e.getMessage().contains("--hosts"), e.getMessage());
  }

  private List<String> hostList(int port) {
    List<String> out = new ArrayList<>();
    for (String id : hosts.ids) out.add("root@" + hosts.network.address(id) + ":" + port);
    return out;
  }

  /** Deploys on the hosts with these login settings over the fixture's, and returns the one-line refusal. */
  private String refusal(Map<String, String> login, List<String> hostList) {
    Map<String, String> ssh = new LinkedHashMap<>(Map.of("key", hosts.clientKey.toString(), "known-hosts",
        hosts.knownHosts.toString(), "dir", root.resolve("remote").toString()));
    ssh.putAll(login);
    TestSpec spec = TestSpec.DEFAULTS.with(Map.of("runtime", "ssh", "hosts", hostList, "ssh", ssh));
    EnvironmentException e = assertThrows(EnvironmentException.class,
        () -> Registries.RUNTIMES.get("ssh").deploy(Registries.TARGETS.get("raft"), spec, tmp, null, line -> {}));
    assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
    return e.getMessage();
  }

  @SuppressWarnings("unchecked")
  private int faultline(List<String> extra) throws Exception {
    Map<String, Object> spec = hosts.spec(root.resolve("remote"));
    List<String> args = new ArrayList<>(List.of("test", "--runtime", "ssh", "--time-limit", "15s", "--nemesis",
        "partition,kill,pause,clock", "--nemesis-interval", "2s", "--seed", "5", "--store", tmp.resolve("store").toString()));
    for (Object h : (List<?>) spec.get("hosts")) args.addAll(List.of("--hosts", h.toString()));
    ((Map<String, String>) spec.get("ssh")).forEach((k, v) -> args.addAll(List.of("--ssh", k + "=" + v)));
    args.addAll(extra);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    System.out.println(out.toString().lines().reduce((a, b) -> b).orElse("") + err);
    return code;
  }
}
