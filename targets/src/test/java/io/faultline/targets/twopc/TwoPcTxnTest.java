package io.faultline.targets.twopc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.kv.Command;
import io.faultline.targets.sim.Reply;
import io.faultline.targets.sim.ScriptedCluster;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Transactions of micro-ops across shards on scripted three-node clusters: one commits atomically
 * and answers its reads in the client's order; two that each read what the other writes (write
 * skew) cannot both commit, unless read locks are released early; and a participant that restarts
 * in doubt still holds its read lock.
 *
 * <p>Range shards split at m and t: key {@code b} lives on n1, {@code n} on n2, and n3 (whose shard
 * holds neither) coordinates, so every prepare crosses the network where the test can hold it.
 */
class TwoPcTxnTest {
  private static final Map<String, String> SETTINGS = Map.of("partitioning", "range", "splits", "m,t",
      "prepare-timeout", "2000");

  private static ScriptedCluster cluster(Set<String> bugs) {
    ScriptedCluster c = new ScriptedCluster(new TwoPcNodeFactory(), ScriptedCluster.names(3), 3, bugs, SETTINGS);
    c.startAll();
    c.run(50);
    return c;
  }

  private static List<Object> op(String f, String key, Long value) {
    return Arrays.asList(f, key, value);
  }

  private static Request txn(List<?>... ops) {
    return new Request("txn", "", List.of(ops));
  }

  private static Reply answered(ScriptedCluster c, Reply r) {
    assertTrue(c.runUntil(r::answered, 6_000), "answered:\n" + c.logs());
    return r;
  }

  /** A held prepare to {@code to} whose part of the transaction starts with micro-op {@code f}. */
  private static Predicate<ScriptedCluster.Envelope> prepare(String to, String f) {
    return e -> e.to().equals(to) && e.message() instanceof TwoPcMessage.Prepare p
        && p.commands().get(0) instanceof Command.Txn t && t.ops().get(0).f().equals(f);
  }

  /** The value the micro-op at {@code index} of a transaction's answer carries. */
  private static Object readAt(Reply r, int index) {
    return ((List<?>) ((List<?>) r.value()).get(index)).get(2);
  }

  @Test
  void aTransactionAcrossShardsCommitsAtomicallyAndAnswersItsReadsInOrder() {
    ScriptedCluster c = cluster(Set.of());
    Reply w = answered(c, c.request("n3", txn(op("append", "b", 1L), op("append", "n", 2L), op("r", "b", null),
        op("r", "n", null))));
    assertTrue(w.done(), w.error());
    assertEquals(4, ((List<?>) w.value()).size());
    assertEquals(List.of(1L), readAt(w, 2), "a read sees the transaction's own append on its shard");
    assertEquals(List.of(2L), readAt(w, 3));
    c.run(200);
    assertEquals(List.of(1L), ((TwoPcNode) c.node("n1")).valueOf("b"));
    assertEquals(List.of(2L), ((TwoPcNode) c.node("n2")).valueOf("n"));
    // Read back from another coordinator, in another order, with a write in between.
    Reply r = answered(c, c.request("n1", txn(op("r", "n", null), op("w", "u", 7L), op("r", "b", null))));
    assertTrue(r.done(), r.error());
    assertEquals(List.of(List.of("r", "n", List.of(2L)), List.of("w", "u", 7L), List.of("r", "b", List.of(1L))), r.value());
    // A micro-op refused on its shard (an append to u, on n3, which holds a number) aborts the whole
    // transaction, the part n1 voted yes on too.
    Reply bad = answered(c, c.request("n2", txn(op("append", "b", 3L), op("append", "u", 4L))));
    assertFalse(bad.done(), "refused: " + bad.value());
    c.run(200);
    assertEquals(List.of(1L), ((TwoPcNode) c.node("n1")).valueOf("b"), "the refused transaction changed nothing");
  }

  /**
   * T1 reads b and writes n; T2 reads n and writes b. Each read is answered before the other's write
   * arrives at that shard. Returns the two replies.
   */
  private static Reply[] writeSkew(ScriptedCluster c) {
    c.hold();
    Reply t1 = c.request("n3", txn(op("r", "b", null), op("w", "n", 1L)));
    Reply t2 = c.request("n3", txn(op("r", "n", null), op("w", "b", 2L)));
    assertEquals(1, c.deliverHeld(prepare("n1", "r")), "T1 reads b");
    assertEquals(1, c.deliverHeld(prepare("n2", "r")), "T2 reads n");
    assertEquals(1, c.deliverHeld(prepare("n2", "w")), "T1 writes n");
    assertEquals(1, c.deliverHeld(prepare("n1", "w")), "T2 writes b");
    c.release();
    answered(c, t1);
    answered(c, t2);
    return new Reply[] {t1, t2};
  }

  @Test
  void twoTransactionsThatEachReadWhatTheOtherWritesCannotBothCommit() {
    ScriptedCluster c = cluster(Set.of());
    Reply[] r = writeSkew(c);
    // Each write waited for the other's read lock: a deadlock, which ends in aborts.
    assertFalse(r[0].done(), "T1 aborted: " + r[0].value());
    assertFalse(r[1].done(), "T2 aborted: " + r[1].value());
    assertTrue(r[0].error().contains("aborted"), r[0].error());
    c.run(200);
    assertNull(((TwoPcNode) c.node("n1")).valueOf("b"));
    assertNull(((TwoPcNode) c.node("n2")).valueOf("n"));
    // No lock was left behind: the same transaction alone commits.
    Reply again = answered(c, c.request("n3", txn(op("r", "b", null), op("w", "n", 1L))));
    assertTrue(again.done(), again.error());
  }

  @Test
  void earlyReadReleaseLetsWriteSkewCommit() {
    ScriptedCluster c = cluster(Set.of("early-read-release"));
    Reply[] r = writeSkew(c);
    assertTrue(r[0].done() && r[1].done(), "both commit: " + r[0].error() + " / " + r[1].error());
    // Neither saw the other's write, yet both writes took effect: no serial order gives that.
    assertNull(readAt(r[0], 0));
    assertNull(readAt(r[1], 0));
    c.run(200);
    assertEquals(2L, ((TwoPcNode) c.node("n1")).valueOf("b"));
    assertEquals(1L, ((TwoPcNode) c.node("n2")).valueOf("n"));
  }

  @Test
  void aParticipantThatRestartsInDoubtStillHoldsItsReadLock() {
    ScriptedCluster c = cluster(Set.of());
    c.hold();
    Reply t1 = c.request("n3", txn(op("r", "b", null), op("w", "n", 1L)));
    assertEquals(2, c.deliverHeld(e -> e.message() instanceof TwoPcMessage.Prepare));
    c.run(20); // the prepares are synced and the votes sent (held)
    c.crash("n1");
    c.restart("n1");
    assertEquals(1, ((TwoPcNode) c.node("n1")).inDoubt(), "n1 recovered T1 in doubt:\n" + c.logs());
    // The coordinator commits T1; its decisions are held, so n1 stays in doubt.
    assertEquals(2, c.deliverHeld(e -> e.to().equals("n3") && e.message() instanceof TwoPcMessage.Vote));
    answered(c, t1);
    assertTrue(t1.done(), t1.error());
    // A write of b, coordinated by n2, reaches n1 while T1 is still in doubt there.
    Reply t2 = c.request("n2", txn(op("w", "b", 5L)));
    assertEquals(1, c.deliverHeld(prepare("n1", "w")));
    c.run(300);
    assertFalse(t2.answered(), "the write waits for T1's read lock, recovered from storage");
    assertNull(((TwoPcNode) c.node("n1")).valueOf("b"));
    c.release();
    answered(c, t2);
    assertTrue(t2.done(), "once T1's decision arrives, the write goes ahead: " + t2.error());
    c.run(200); // T2's own decision reaches n1
    assertEquals(5L, ((TwoPcNode) c.node("n1")).valueOf("b"));
    assertEquals(0, ((TwoPcNode) c.node("n1")).inDoubt());
  }
}
