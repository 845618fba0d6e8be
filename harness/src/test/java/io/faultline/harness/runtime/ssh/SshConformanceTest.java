package io.faultline.harness.runtime.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.faultline.harness.runtime.conformance.RuntimeConformance;
import io.faultline.nemesis.FaultKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@code --runtime ssh} against three real sshd hosts ({@link SshdHosts}), through the same suite
 * as every other runtime; then, on each host, no process but sshd, no rule of Faultline's and
 * no folder of the run.
 */
class SshConformanceTest extends RuntimeConformance {
  private static SshdHosts hosts;
  private static Path root;

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

  @Override
  protected String runtime() {
    return "ssh";
  }

  @Override
  protected Set<FaultKind> kinds() {
    return allBut();
  }

  @Override
  protected Map<String, Object> specOptions() {
    return hosts.spec(root.resolve("remote"));
  }

  @Override
  protected void assertNothingLeftElsewhere() throws Exception {
    for (String id : hosts.ids) {
      assertEquals(List.of(), hosts.strays(id), "processes left on host " + id);
      assertFalse(hosts.rules(id).contains("FAULTLINE"), "rules left on host " + id + ": " + hosts.rules(id));
    }
    try (Stream<Path> left = Files.list(root.resolve("remote"))) {
      assertEquals(List.of(), left.toList(), "the run's folders on the hosts are removed");
    }
  }
}
