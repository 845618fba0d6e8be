package io.faultline.targets.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.sim.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Grow-only sets of numbers: {@code add} and {@code read} on a key that holds a set. */
class SetTest {

  private static Reply settle(TestCluster c, Reply r) {
    c.runUntil(r::answered, 1_000);
    return r;
  }

  private static Reply add(TestCluster c, String node, String key, long element) {
    return c.request(node, new Request("add", key, element));
  }

  @Test
  void addedElementsAreReadBackSortedWithoutDuplicates() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    for (long e : new long[] {17, -2, 5, 17}) {
      Reply r = settle(c, add(c, leader, "s", e));
      assertEquals(Status.DONE, r.status(), r.toString());
      assertNull(r.value());
    }
    assertEquals(List.of(-2L, 5L, 17L), settle(c, c.read(leader, "s")).value());
    c.run(100);
    for (String id : c.ids) {
      assertEquals(List.of(-2L, 5L, 17L), c.node(id).valueOf("s"), id);
    }
  }

  @Test
  void aKeyHoldsANumberOrASetAndRefusesTheOtherKind() {
    TestCluster c = TestCluster.of(3).start();
    String leader = c.awaitLeader();
    settle(c, c.write(leader, "x", 3));
    settle(c, add(c, leader, "s", 1));

    Reply addToNumber = settle(c, add(c, leader, "x", 4));
    assertEquals(Status.NOT_DONE, addToNumber.status());
    assertTrue(addToNumber.error().contains("holds the number 3"), addToNumber.error());
    Reply writeToSet = settle(c, c.write(leader, "s", 4));
    assertEquals(Status.NOT_DONE, writeToSet.status());
    assertTrue(writeToSet.error().contains("holds a set"), writeToSet.error());
    Reply casOnSet = settle(c, c.cas(leader, "s", 1, 2));
    assertEquals(Status.NOT_DONE, casOnSet.status());
    assertTrue(casOnSet.error().contains("holds a set"), casOnSet.error());
    Reply notANumber = settle(c, c.request(leader, new Request("add", "s", "seven")));
    assertEquals(Status.NOT_DONE, notANumber.status());
    assertTrue(notANumber.error().startsWith("add needs a whole-number element"), notANumber.error());

    assertEquals(3L, settle(c, c.read(leader, "x")).value());
    assertEquals(List.of(1L), settle(c, c.read(leader, "s")).value());
  }

  @Test
  void aSetSurvivesSnapshotsARestartOfEveryNodeAndInstallSnapshot() {
    TestCluster c = new TestCluster(3, 1, Set.of(), Map.of("snapshot-every", "10")).start();
    String leader = c.awaitLeader();
    String lagging = c.ids.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    c.isolate(lagging);
    List<Long> expected = new ArrayList<>();
    for (long e = 0; e < 40; e++) {
      settle(c, add(c, leader, "s", e));
      expected.add(e);
    }
    settle(c, c.write(leader, "x", 9));
    c.run(200);
    assertTrue(c.node(leader).snapshotIndex() > c.node(lagging).lastIndex(),
        "the leader compacted what the lagging follower lacks");
    c.heal();
    c.run(300);
    assertEquals(expected, c.node(lagging).valueOf("s"), "installed from the leader's snapshot");

    for (String id : c.ids) {
      c.crash(id);
      c.restart(id);
    }
    for (String id : c.ids) {
      assertTrue(c.node(id).snapshotIndex() >= 30, id + " recovered from a snapshot");
    }
    String next = c.awaitLeader();
    c.run(200); // the entries after the snapshot apply again once the new leader commits them
    for (String id : c.ids) {
      assertEquals(Map.of("s", Set.copyOf(expected), "x", 9L), c.node(id).state(), id);
    }
    settle(c, add(c, next, "s", 40));
    expected.add(40L);
    assertEquals(expected, settle(c, c.read(next, "s")).value());
  }

  @Test
  void staleReadServesALaggingFollowersOldSetAsItDoesForNumbers() {
    for (boolean bug : new boolean[] {true, false}) {
      TestCluster c = new TestCluster(3, 1, bug ? Set.of("stale-read") : Set.of(), Map.of()).start();
      String leader = c.awaitLeader();
      settle(c, add(c, leader, "s", 1));
      c.run(100);
      String lagging = c.ids.stream().filter(id -> !id.equals(c.leader())).findFirst().orElseThrow();
      c.isolate(lagging);
      settle(c, add(c, c.leader(), "s", 2));
      Reply r = c.read(lagging, "s");
      if (bug) {
        assertEquals(List.of(1L), r.value(), "stale: 2 was acknowledged before this read began");
      } else {
        assertEquals(Status.NOT_DONE, r.status());
      }
    }
  }
}
