package io.faultline.harness.runtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultException;
import io.faultline.nemesis.FaultKind;
import io.faultline.nemesis.PacketFault;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runtime's options, refusals and error messages; at most one short-lived node. */
class LocalClusterOptionsTest {
  @TempDir Path dir;

  @Test
  void offsetsInLibfaketimesForm() {
    assertEquals("+0s", Faketime.format(Duration.ZERO));
    assertEquals("+30s", Faketime.format(Duration.ofSeconds(30)));
    assertEquals("-5s", Faketime.format(Duration.ofSeconds(-5)));
    assertEquals("+1.5s", Faketime.format(Duration.ofMillis(1500)));
    assertEquals("-0.25s", Faketime.format(Duration.ofMillis(-250)));
  }

  @Test
  void offsetFilesAreReplacedWhole() throws Exception {
    Path file = dir.resolve("f/n1.offset");
    Faketime.write(file, Duration.ofSeconds(-5));
    assertEquals("-5s\n", Files.readString(file));
    Faketime.write(file, Duration.ZERO);
    assertEquals("+0s\n", Files.readString(file));
    assertEquals(List.of(file), Files.list(file.getParent()).toList(), "no temporary file is left");
  }

  @Test
  void missingLibfaketimeSaysWhatToInstall() {
    FaultException e = assertThrows(FaultException.class, () -> Faketime.locate(List.of(dir.resolve("nope.so"))));
    assertTrue(e.getMessage().contains("apt-get install faketime"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void optionsDefaultsAndRefusals() {
    LocalCluster.Options o = LocalCluster.Options.of("raft", 3, dir);
    assertTrue(o.proxies());
    assertFalse(o.faketime());
    assertEquals(List.of(), o.nodeArguments());
    assertEquals(9, o.withSeed(9).seed());
    assertThrows(IllegalArgumentException.class, () -> LocalCluster.Options.of("raft", 0, dir));
  }

  @Test
  void withoutProxiesOrFaketimeTheFabricSaysWhatItCannotDo() {
    try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("raft", 2, dir).withProxies(false))) {
      Fabric fabric = cluster.fabric();
      assertEquals(Set.of(FaultKind.KILL, FaultKind.PAUSE), fabric.supported());
      assertThrows(UnsupportedOperationException.class, () -> fabric.partition(Map.of("n1", Set.of("n2"))));
      assertThrows(UnsupportedOperationException.class, () -> fabric.packets("n1", "n2", PacketFault.loss(0.1)));
      assertThrows(UnsupportedOperationException.class, () -> fabric.clockOffset("n1", Duration.ofSeconds(1)));
      fabric.heal();
      fabric.kill("n1");
      fabric.pause("n1");
      fabric.resume("n1");
      assertThrows(IllegalArgumentException.class, () -> fabric.kill("n9"));
      assertEquals(Map.of("n1", dir.resolve("logs/n1.log"), "n2", dir.resolve("logs/n2.log")), cluster.logFiles());
      assertTrue(cluster.leader().isEmpty(), "no node runs");
    }
  }

  @Test
  void aNodeThatCannotStartIsNamedWithTheEndOfItsLog() {
    try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("raft", 1, dir)
        .withNodeArguments(List.of("--bug", "no-such-bug")))) {
      FaultException e = assertThrows(FaultException.class, cluster::startAll);
      String message = e.getMessage();
      assertFalse(message.contains("\n"), message);
      assertTrue(message.startsWith("node n1 exited with code 2"), message);
      assertTrue(message.contains("unknown bug 'no-such-bug'"), message);
    }
  }

  @Test
  void aNodeListensOnLoopbackOnly() throws Exception {
    try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("raft", 1, dir))) {
      cluster.startAll();
      String peer = cluster.layout().listenAddress("n1");
      Set<Integer> ports = Set.of(cluster.layout().clientPort("n1"), Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1)));
      Map<Integer, InetAddress> listening = ProcFs.listening(cluster.node("n1").pid());
      assertEquals(ports, listening.keySet(), "the client port and the node port, and nothing else: " + listening);
      listening.forEach((port, address) -> assertTrue(address.isLoopbackAddress(),
          "port " + port + " listens on " + address.getHostAddress() + ", not loopback"));
    }
  }

  @Test
  void withANodesFolderTheLogsAreWrittenThereAsTheNodesGo() throws Exception {
    Path nodes = dir.resolve("store-run/nodes");
    try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("raft", 1, dir.resolve("work")).withNodesDir(nodes))) {
      assertEquals(Map.of("n1", nodes.resolve("n1/node.log")), cluster.logFiles());
      cluster.startAll();
      String running = Files.readString(nodes.resolve("n1/node.log"));
      assertTrue(running.contains("listening for nodes"), "there while the node runs: " + running);
      cluster.close();
      cluster.collect(nodes, false);
      assertTrue(Files.readString(nodes.resolve("n1/node.log")).startsWith(running), "collect keeps the log it finds in place");
      assertFalse(Files.exists(dir.resolve("work/logs")), "no second copy in the working directory");
    }
  }

  @Test
  void closedMeansClosed() {
    LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("raft", 2, dir));
    cluster.close();
    cluster.close();
    assertThrows(FaultException.class, () -> cluster.fabric().heal());
  }
}
