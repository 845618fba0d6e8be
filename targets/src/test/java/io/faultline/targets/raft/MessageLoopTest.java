package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On a network that duplicates messages, any exchange in which each answer provokes another message
 * grows without bound. Planted bugs break invariants (a follower forgets entries it acknowledged),
 * which must make the node wrong, not make it flood the network until the simulator runs out of heap.
 */
class MessageLoopTest {

  private static int messagesInFiveQuietSeconds(Set<String> bugs, Map<String, String> settings) {
    TestCluster c = new TestCluster(3, 1, bugs, settings).start();
    c.loss(0, 0.2);
    String leader = c.awaitLeader();
    for (int i = 0; i < 60; i++) {
      c.write(leader, "x", i);
    }
    c.run(200);
    // A follower that loses everything, though it acknowledged it (with no-fsync nothing was synced).
    String follower = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.crash(follower, 0);
    c.restart(follower);
    c.recordSent();
    for (int i = 0; i < 100; i++) { // a write every 50 ms keeps the leader sending new entries
      c.write(leader, "y", i);
      c.run(50);
    }
    return c.sent().size();
  }

  @Test
  void aFollowerThatForgotWhatItAcknowledgedDoesNotStartAMessageStorm() {
    // Heartbeats and one flush of entries per write: 2 followers x 40 a second x 5 s, as many
    // answers, and duplicates; doubled for slack.
    int budget = 2 * 40 * 5 * 2 * 2 * 2;
    for (Map<String, String> settings : new Map[] {Map.of(), Map.of("snapshot-every", "10")}) {
      int correct = messagesInFiveQuietSeconds(Set.of(), settings);
      int buggy = messagesInFiveQuietSeconds(Set.of("no-fsync"), settings);
      assertTrue(correct < budget, settings + " correct build sent " + correct);
      assertTrue(buggy < budget, settings + " no-fsync build sent " + buggy);
    }
  }
}
