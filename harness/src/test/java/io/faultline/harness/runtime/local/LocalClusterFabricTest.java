package io.faultline.harness.runtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.faultline.nemesis.Fabric;
import io.faultline.nemesis.FaultKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Raft processes with every node-to-node link through a proxy, faulted through the
 * fabric: one cluster for the class (starting JVMs is the slow part), put back in order before each
 * test, and closed by the last one, which checks that nothing outlives it.
 *
 * <p>Every wait is bounded and fails the test rather than hang it; none is a claim about speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterFabricTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();
  @TempDir static Path dir;
  private boolean faketime;
  private LocalCluster cluster;
  private Fabric fabric;

  @BeforeAll
  void startCluster() {
    faketime = Faketime.LIBRARY_CANDIDATES.stream().anyMatch(Files::isRegularFile);
    cluster = new LocalCluster(LocalCluster.Options.of("raft", 3, dir)
        .withNodeArguments(List.of("--request-timeout", "2s"))
        .withFaketime(faketime)
        .withSeed(7));
    fabric = cluster.fabric();
    cluster.startAll();
  }

  @AfterAll
  void closeCluster() {
    cluster.close();
  }

  @BeforeEach
  void backToNormal() {
    fabric.heal();
    for (String id : cluster.ids()) {
      fabric.resume(id);
      fabric.start(id);
    }
    cluster.awaitLeader(PATIENCE);
  }

  @Test
  @Order(1)
  void whatItOffers() {
    assertEquals(List.of("n1", "n2", "n3"), fabric.nodes());
    Set<FaultKind> expected = Set.of(FaultKind.PARTITION, FaultKind.KILL, FaultKind.PAUSE, FaultKind.LOSS, FaultKind.LATENCY);
    if (faketime) expected = Set.of(FaultKind.values());
    assertEquals(expected, fabric.supported());
    assertEquals(Set.of("n1", "n2", "n3"), cluster.logFiles().keySet());
    assertTrue(Files.isRegularFile(cluster.logFiles().get("n1")));
    assertEquals(dir.resolve("data").resolve("n2"), cluster.dataDir("n2"));
  }

  @Test
  @Order(2)
  void anIsolatedLeaderIsReplacedAndCannotCommit() throws Exception {
    String old = cluster.awaitLeader(PATIENCE);
    long oldTerm = cluster.status(old).orElseThrow().path("term").asLong();
    List<String> others = cluster.ids().stream().filter(id -> !id.equals(old)).toList();
    fabric.partition(Map.of(old, Set.copyOf(others), others.get(0), Set.of(old), others.get(1), Set.of(old)));

    String next = awaitValue(() -> cluster.leader().filter(others::contains), "a leader among " + others);
    assertTrue(cluster.status(next).orElseThrow().path("term").asLong() > oldTerm, "the new leader's term is higher");
    assertEquals("done", op(next, write("isolated", 1)).path("status").asText(), "the majority takes writes");
    JsonNode stale = once(old, write("isolated", 2));
    assertNotEquals("done", stale.path("status").asText(), "the isolated old leader must not commit: " + stale);

    fabric.heal();
    fabric.heal();
    String leader = cluster.awaitLeader(PATIENCE);
    JsonNode reply = op(leader, read("isolated"));
    assertEquals("done", reply.path("status").asText(), reply.toString());
    assertEquals(1, reply.path("value").asLong(), reply.toString());
  }

  @Test
  @Order(3)
  void aPausedNodeIsStoppedAndSilentUntilResumed() {
    String node = "n2";
    fabric.pause(node);
    fabric.pause(node);
    NodeProcess process = cluster.node(node);
    assertTrue(NodeProcess.isStopped(NodeProcess.procState(process.pid())), "state " + NodeProcess.procState(process.pid()));
    assertTrue(cluster.status(node).isEmpty(), "a paused node answers nothing");
    assertFalse(cluster.leader().filter(node::equals).isPresent(), "leader() skips paused nodes");
    fabric.resume(node);
    fabric.resume(node);
    assertFalse(NodeProcess.isStopped(NodeProcess.procState(process.pid())));
    awaitValue(() -> cluster.status(node), node + " to answer again");
  }

  @Test
  @Order(4)
  void anAcknowledgedWriteSurvivesKillAndStart() throws Exception {
    String leader = cluster.awaitLeader(PATIENCE);
    assertEquals("done", op(leader, write("durable", 42)).path("status").asText());
    long pid = cluster.node(leader).pid();
    fabric.kill(leader);
    fabric.kill(leader);
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed means dead");
    fabric.start(leader);
    assertTrue(cluster.status(leader).isPresent(), "start returns once the node answers");
    fabric.start(leader);
    String now = cluster.awaitLeader(PATIENCE);
    JsonNode reply = op(now, read("durable"));
    assertEquals("done", reply.path("status").asText(), reply.toString());
    assertEquals(42, reply.path("value").asLong(), reply.toString());
  }

  @Test
  @Order(5)
  void aClockOffsetMovesTheNodesWallClockAndResets() {
    Assumptions.assumeTrue(faketime, "libfaketime is not installed (apt-get install faketime); no clock test");
    fabric.clockOffset("n3", Duration.ofSeconds(30));
    assertSkew("n3", 30_000);
    assertSkew("n1", 0);
    fabric.clockOffset("n3", Duration.ofMillis(-5500));
    assertSkew("n3", -5_500);
    fabric.clockOffset("n3", Duration.ZERO);
    assertSkew("n3", 0);
  }

  @Test
  @Order(100)
  void closeLeavesNoProcessThreadOrFaketimeFile() throws IOException {
    List<Long> pids = new ArrayList<>();
    for (String id : cluster.ids()) pids.add(cluster.node(id).pid());
    assertTrue(nodeProcesses().allMatch(p -> p.info().arguments().map(a -> List.of(a).contains("--exit-on-stdin-eof"))
        .orElse(true)), "nodes run with --exit-on-stdin-eof");
    fabric.pause("n1");
    if (faketime) fabric.clockOffset("n2", Duration.ofSeconds(3));
    fabric.partition(Map.of("n3", Set.of("n1")));

    cluster.close();
    cluster.close();

    for (long pid : pids) assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid);
    assertEquals(0, nodeProcesses().count(), "no node process is left");
    assertTrue(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .noneMatch(p -> p.info().arguments().map(a -> List.of(a).contains("faultline-watchdog")).orElse(false)),
        "no watchdog is left");
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("proxy ") && t.isAlive()),
        "no proxy thread is left");
    Path offsets = dir.resolve("faketime");
    if (Files.isDirectory(offsets)) {
      try (Stream<Path> files = Files.list(offsets)) {
        assertEquals(List.of(), files.toList(), "no faketime file is left");
      }
    }
  }

  /** This cluster's node processes among the test JVM's descendants (not its watchdog: no data directory). */
  private Stream<ProcessHandle> nodeProcesses() {
    String marker = dir.resolve("data").toString();
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false));
  }

  private void assertSkew(String node, long expectedMillis) {
    long before = System.currentTimeMillis();
    JsonNode status = awaitValue(() -> cluster.status(node), node + "'s status");
    long after = System.currentTimeMillis();
    long skew = status.path("wallMillis").asLong() - (before + after) / 2;
    // Seconds of slack: this checks that the offset took, not how precisely.
    assertTrue(Math.abs(skew - expectedMillis) < 3_000, node + " runs " + skew + " ms off, expected about " + expectedMillis);
  }

  private static String write(String key, long value) {
    return "{\"f\":\"write\",\"key\":\"" + key + "\",\"value\":" + value + "}";
  }

  private static String read(String key) {
    return "{\"f\":\"read\",\"key\":\"" + key + "\"}";
  }

  /** One request, whatever the answer. */
  private JsonNode once(String node, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + cluster.clientAddresses().get(node) + "/op"))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  /**
   * A request to a leader that may still be settling in, or may just have lost its place to the
   * restarted node: retried while the answer is unknown, and sent on to the leader a follower names.
   */
  private JsonNode op(String node, String body) throws Exception {
    JsonNode reply = null;
    String at = node;
    for (int attempt = 0; attempt < 20; attempt++) {
      reply = once(at, body);
      String status = reply.path("status").asText();
      if ("done".equals(status)) return reply;
      if ("not-done".equals(status) && reply.hasNonNull("leader") && cluster.ids().contains(reply.path("leader").asText())) {
        at = reply.path("leader").asText();
      } else if (!"unknown".equals(status) && !("not-done".equals(status) && !reply.hasNonNull("leader"))) {
        return reply;
      }
      Thread.sleep(100);
    }
    return reply;
  }

  /** Every node's status and the end of its log, for failure messages. */
  private String describe() {
    StringBuilder out = new StringBuilder();
    for (String id : cluster.ids()) {
      out.append("\n").append(id).append(": ").append(cluster.status(id).map(JsonNode::toString).orElse("no status"))
          .append("\n").append(cluster.node(id).logTail(15).indent(4));
    }
    return out.toString();
  }

  private <T> T awaitValue(Supplier<Optional<T>> probe, String what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) return value.get();
      if (System.nanoTime() > deadline) fail("waited " + PATIENCE.toSeconds() + " s for " + what + describe());
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
