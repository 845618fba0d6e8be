package io.faultline.targets.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two node processes talking over real TCP, through a kill -9 and restart of one of them. */
class MessagingTest {
  @TempDir Path dir;

  /** Pings until a pong comes back; messages sent before the link is up are dropped, by contract. */
  private static void pingUntilAnswered(NodeProcess from, String to) {
    long deadline = System.nanoTime() + NodeProcess.PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> ping = from.op("{\"f\":\"ping\",\"key\":\"" + to + "\"}");
      if (ping.statusCode() == 200) return;
      assertEquals(503, ping.statusCode(), ping.body()); // unknown: timed out waiting for the pong
    }
    fail("no pong from " + to + " within " + NodeProcess.PATIENCE + "; log:\n" + from.log());
  }

  @Test
  void messagesFlowBetweenProcessesAndResumeAfterThePeerRestarts() {
    String peers = "n1=127.0.0.1:" + NodeProcess.freePort() + ",n2=127.0.0.1:" + NodeProcess.freePort();
    List<String> n1Args = NodeProcess.registerArgs("n1", peers, dir.resolve("n1"), "--request-timeout", "500ms");
    List<String> n2Args = NodeProcess.registerArgs("n2", peers, dir.resolve("n2"), "--request-timeout", "500ms");
    try (NodeProcess n1 = NodeProcess.startReady(dir.resolve("n1.log"), n1Args)) {
      NodeProcess n2 = NodeProcess.startReady(dir.resolve("n2.log"), n2Args);
      try {
        pingUntilAnswered(n1, "n2");
        pingUntilAnswered(n2, "n1");
        n2.kill();
        // While n2 is gone, n1 keeps serving: its pings time out as unknown, nothing blocks.
        assertEquals(503, n1.op("{\"f\":\"ping\",\"key\":\"n2\"}").statusCode());
        assertEquals(200, n1.op("{\"f\":\"read\",\"key\":\"x\"}").statusCode());
      } finally {
        n2.close();
      }
      try (NodeProcess n2Again = NodeProcess.startReady(dir.resolve("n2-again.log"), n2Args)) {
        pingUntilAnswered(n1, "n2");
        pingUntilAnswered(n2Again, "n1");
      }
    }
  }
}
