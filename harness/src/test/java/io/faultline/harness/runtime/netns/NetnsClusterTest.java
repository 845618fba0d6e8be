package io.faultline.harness.runtime.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.harness.runtime.Shell;
import io.faultline.harness.runtime.local.LocalCluster;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.PacketFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Raft processes in network namespaces of their own, faulted through the fabric, with
 * every fault checked from inside the namespaces: a TCP connect from one node's namespace to
 * another's client port, which a partition or a total loss must stop and a heal must let through.
 * Needs root, iproute2 and iptables ({@code .ci/run} installs them); skipped, saying so, without.
 */
class NetnsClusterTest {
  @TempDir Path dir;

  @BeforeAll
  static void needsRootAndTools() {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "not root: network namespaces are not tested");
    Assumptions.assumeTrue(Shell.installed("ip") && Shell.installed("iptables") && Shell.installed("bash"),
        "no ip, iptables or bash (apt-get install iproute2 iptables): network namespaces are not tested");
  }

  @Test
  void faultsCutRealLinksAndCloseLeavesNothingBehind() throws Exception {
    List<String> ids = List.of("n1", "n2", "n3");
    NetnsHosts hosts = NetnsHosts.create(ids, dir);
    List<String> made = List.of(hosts.namespace("n1"), hosts.namespace("n2"), hosts.namespace("n3"), hosts.switchNamespace());
    for (String ns : made) assertTrue(Files.exists(Path.of("/run/netns", ns)), ns + " exists");
    assertTrue(Files.exists(Path.of("/sys/class/net", hosts.uplink())), "the controller's uplink exists");

    LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("raft", 3, dir)
        .withNodeArguments(List.of("--request-timeout", "2s")).withSeed(3), hosts);
    try {
      cluster.startAll();
      cluster.awaitLeader(Duration.ofSeconds(30));
      Fabric fabric = cluster.fabric();
      String n1 = cluster.clientAddresses().get("n1");
      assertTrue(n1.startsWith(hosts.address("n1") + ":"), "the controller reaches n1 at its own address: " + n1);
      assertTrue(connects(hosts, "n2", n1), "n2 reaches n1 before any fault");

      fabric.partition(Map.of("n1", Set.of("n2")));
      assertFalse(connects(hosts, "n2", n1), "n1 hears nothing from n2");
      assertTrue(connects(hosts, "n3", n1), "n1 still hears n3");
      fabric.heal();
      assertTrue(connects(hosts, "n2", n1), "healed");

      fabric.packets("n2", "n1", PacketFault.loss(1.0));
      assertFalse(connects(hosts, "n2", n1), "every packet n2 sends n1 is lost");
      fabric.packets("n2", "n1", PacketFault.NONE);
      assertTrue(connects(hosts, "n2", n1), "the loss is undone");
      assertThrows(UnsupportedOperationException.class,
          () -> fabric.packets("n2", "n1", PacketFault.latency(Duration.ofMillis(50), Duration.ZERO)));

      fabric.kill("n1");
      assertFalse(connects(hosts, "n2", n1), "a killed node answers nothing");
      fabric.start("n1");
      assertTrue(connects(hosts, "n2", n1), "restarted in its namespace, on its port");
    } finally {
      cluster.close();
    }
    for (String ns : made) assertFalse(Files.exists(Path.of("/run/netns", ns)), ns + " is deleted");
    assertFalse(Files.exists(Path.of("/sys/class/net", hosts.uplink())), "the uplink is deleted");
    assertFalse(Files.exists(dir.resolve(NetnsHosts.RECORD)), "the record of what was made is gone with it");
  }

  @Test
  void reapRemovesWhatADeadControllerLeft() {
    NetnsHosts hosts = NetnsHosts.create(List.of("n1", "n2"), dir);
    String ns = hosts.namespace("n1");
    assertEquals(3, NetnsHosts.reap(dir), "two nodes' namespaces and the switch's");
    assertFalse(Files.exists(Path.of("/run/netns", ns)));
    assertFalse(Files.exists(Path.of("/run/netns", hosts.switchNamespace())));
    assertEquals(0, NetnsHosts.reap(dir), "nothing left the second time");
    hosts.close();
  }

  /** Whether a TCP connection from {@code from}'s namespace to {@code address} opens within a second. */
  private static boolean connects(NetnsHosts hosts, String from, String address) throws Exception {
    String host = address.substring(0, address.lastIndexOf(':'));
    String port = address.substring(address.lastIndexOf(':') + 1);
    Process p = new ProcessBuilder("ip", "netns", "exec", hosts.namespace(from), "timeout", "1", "bash", "-c",
        "exec 3<>/dev/tcp/" + host + "/" + port).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the probe ends");
    return p.exitValue() == 0;
  }
}
