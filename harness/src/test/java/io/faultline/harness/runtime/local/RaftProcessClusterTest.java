package io.faultline.harness.runtime.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Raft processes on loopback, with real TCP between them and real fsync: acknowledged
 * writes survive a kill -9 of the leader and a restart of the whole cluster.
 */
class RaftProcessClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ELECTION = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  @TempDir Path dir;

  @Test
  void acknowledgedWritesSurviveLeaderKillAndFullRestart() throws Exception {
    try (LocalCluster cluster = new LocalCluster(LocalCluster.Options.of("raft", 3, dir))) {
      cluster.startAll();
      String first = settledLeader(cluster);

      Map<String, Long> acknowledged = new LinkedHashMap<>();
      for (int i = 0; i < 20; i++) {
        JsonNode reply = op(cluster, first, "{\"f\":\"write\",\"key\":\"k" + i + "\",\"value\":" + (100 + i) + "}");
        assertEquals("done", reply.path("status").asText(), "write k" + i + ": " + reply);
        acknowledged.put("k" + i, 100L + i);
      }
      JsonNode cas = op(cluster, first, "{\"f\":\"cas\",\"key\":\"k0\",\"value\":[100,7]}");
      assertEquals("done", cas.path("status").asText(), cas.toString());
      acknowledged.put("k0", 7L);
      JsonNode mismatch = op(cluster, first, "{\"f\":\"cas\",\"key\":\"k1\",\"value\":[999,8]}");
      assertEquals("not-done", mismatch.path("status").asText(), "a cas that cannot match: " + mismatch);
      assertReadsBack(cluster, first, acknowledged);

      String follower = cluster.ids().stream().filter(id -> !id.equals(first)).findFirst().orElseThrow();
      JsonNode redirected = op(cluster, follower, "{\"f\":\"write\",\"key\":\"k0\",\"value\":1}");
      assertEquals("not-done", redirected.path("status").asText(), "a follower must not accept a write");
      assertEquals(first, redirected.path("leader").asText(), "and must name the leader: " + redirected);

      cluster.fabric().kill(first);
      assertFalse(cluster.node(first).isAlive());
      String second = cluster.awaitLeader(ELECTION);
      assertNotEquals(first, second, "the killed leader cannot still lead");
      assertReadsBack(cluster, second, acknowledged);
      JsonNode afterFailover = op(cluster, second, "{\"f\":\"write\",\"key\":\"k20\",\"value\":120}");
      assertEquals("done", afterFailover.path("status").asText(), afterFailover.toString());
      acknowledged.put("k20", 120L);

      for (String id : cluster.ids()) cluster.fabric().kill(id);
      cluster.startAll();
      String third = cluster.awaitLeader(ELECTION);
      assertReadsBack(cluster, third, acknowledged);
      assertTrue(cluster.node(first).isAlive(), "the first leader came back as a member");
    }
  }

  /**
   * A leader that has committed a write: on a loaded machine the first leader elected while the
   * JVMs were still starting may soon lose its place, which is not what this test is about.
   */
  private String settledLeader(LocalCluster cluster) throws Exception {
    JsonNode reply = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      String leader = cluster.awaitLeader(ELECTION);
      reply = op(cluster, leader, "{\"f\":\"write\",\"key\":\"warm-up\",\"value\":1}");
      if ("done".equals(reply.path("status").asText())) return leader;
      Thread.sleep(200);
    }
    throw new AssertionError("no leader committed a write: " + reply);
  }

  private void assertReadsBack(LocalCluster cluster, String leader, Map<String, Long> expected) throws Exception {
    for (Map.Entry<String, Long> entry : expected.entrySet()) {
      JsonNode reply = op(cluster, leader, "{\"f\":\"read\",\"key\":\"" + entry.getKey() + "\"}");
      assertEquals("done", reply.path("status").asText(), "read " + entry.getKey() + " at " + leader + ": " + reply);
      assertEquals(entry.getValue().longValue(), reply.path("value").asLong(), "read " + entry.getKey() + ": " + reply);
    }
  }

  /** One request; a leader that is still settling in may answer unknown or not-done, so retry a few times. */
  private JsonNode op(LocalCluster cluster, String node, String body) throws Exception {
    JsonNode reply = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + cluster.clientAddresses().get(node) + "/op"))
          .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      reply = JSON.readTree(response.body());
      boolean settling = "unknown".equals(reply.path("status").asText())
          || ("not-done".equals(reply.path("status").asText()) && reply.path("leader").isMissingNode()
              && !reply.path("error").asText().contains("cas"));
      if (!settling) return reply;
      Thread.sleep(100);
    }
    return reply;
  }
}
