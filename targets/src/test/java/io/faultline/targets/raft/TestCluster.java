package io.faultline.targets.raft;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.sim.Reply;
import io.faultline.targets.sim.ScriptedCluster;
import io.faultline.targets.sim.ScriptedCluster.Envelope;
import io.faultline.targets.sim.VirtualStorage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The scripted cluster ({@link ScriptedCluster}) with Raft's nodes, plus what only Raft's tests
 * need: nodes as {@link RaftNode}, observers of applied entries, finding and awaiting the leader,
 * and writes that retry until some leader commits them. Network, clock and crash control are the
 * kit's, passed through under the names the tests use.
 */
final class TestCluster {
  static final long MS = ScriptedCluster.MS;

  final List<String> ids;
  private final ScriptedCluster kit;
  private RaftNode.ApplyObserver applyObserver = entry -> {};
  private final Map<String, RaftNode.ApplyObserver> perNodeObservers = new TreeMap<>();

  TestCluster(int size, long seed, Set<String> bugs, Map<String, String> settings) {
    this.ids = ScriptedCluster.names(size);
    this.kit = new ScriptedCluster(new RaftNodeFactory(), ids, seed, bugs, settings)
        .onNewNode((id, node) -> ((RaftNode) node).observeApplies(entry -> {
          applyObserver.applied(entry);
          RaftNode.ApplyObserver mine = perNodeObservers.get(id);
          if (mine != null) {
            mine.applied(entry);
          }
        }));
  }

  static TestCluster of(int size) {
    return new TestCluster(size, 1, Set.of(), Map.of());
  }

  /** Starts every node. */
  TestCluster start() {
    kit.startAll();
    return this;
  }

  /** The generic kit underneath, for what this class does not pass through. */
  ScriptedCluster kit() {
    return kit;
  }

  // ---------------------------------------------------------------- time

  long now() {
    return kit.now();
  }

  void run(long millis) {
    kit.run(millis);
  }

  boolean runUntil(BooleanSupplier condition, long maxMillis) {
    return kit.runUntil(condition, maxMillis);
  }

  // ---------------------------------------------------------------- nodes

  /** The latest incarnation of the node, running or crashed. */
  RaftNode node(String id) {
    return (RaftNode) kit.node(id);
  }

  VirtualStorage storage(String id) {
    return kit.storage(id);
  }

  boolean up(String id) {
    return kit.up(id);
  }

  /** The live leader with the highest term, or null. */
  String leader() {
    String best = null;
    for (String id : ids) {
      if (up(id) && node(id).role() == RaftNode.Role.LEADER
          && (best == null || node(id).term() > node(best).term())) {
        best = id;
      }
    }
    return best;
  }

  /** Runs until some leader has committed everything in its log (its no-op, at least). */
  String awaitLeader() {
    boolean found = runUntil(() -> {
      String l = leader();
      return l != null && node(l).commitIndex() == node(l).lastIndex();
    }, 10_000);
    if (!found) {
      throw new AssertionError("no leader within 10 s:\n" + logs());
    }
    return leader();
  }

  /** Crashes a node: it stops at once, and its storage keeps the synced records plus {@code keep}. */
  void crash(String id, int keepUnsynced) {
    kit.crash(id, keepUnsynced);
  }

  void crash(String id) {
    kit.crash(id);
  }

  void restart(String id) {
    kit.restart(id);
  }

  void wallOffset(String id, long millis) {
    kit.wallOffset(id, millis);
  }

  void observeApplies(RaftNode.ApplyObserver observer) {
    this.applyObserver = observer;
  }

  void observeApplies(String id, RaftNode.ApplyObserver observer) {
    perNodeObservers.put(id, observer);
  }

  /** Runs after every event (message, timer, start, request), for invariant checks. */
  void afterEachEvent(Runnable check) {
    kit.afterEachEvent(check);
  }

  // ---------------------------------------------------------------- clients

  Reply request(String id, Request request) {
    return kit.request(id, request);
  }

  Reply write(String id, String key, long value) {
    return request(id, Request.write(key, value));
  }

  Reply read(String id, String key) {
    return request(id, Request.read(key));
  }

  Reply cas(String id, String key, long expected, long value) {
    return request(id, Request.cas(key, expected, value));
  }

  /** Writes through whichever node leads, until done; fails the test if it cannot. */
  void commit(String key, long value) {
    for (int attempt = 0; attempt < 20; attempt++) {
      String l = awaitLeader();
      Reply r = write(l, key, value);
      runUntil(r::answered, 2_000);
      if (r.done()) {
        return;
      }
    }
    throw new AssertionError("could not commit " + key + "=" + value + "\n" + logs());
  }

  // ---------------------------------------------------------------- network

  void latency(long minMillis, long maxMillis) {
    kit.latency(minMillis, maxMillis);
  }

  void loss(double drop, double duplicate) {
    kit.loss(drop, duplicate);
  }

  void partition(List<List<String>> groups) {
    kit.partition(groups);
  }

  void isolate(String id) {
    kit.isolate(id);
  }

  void heal() {
    kit.heal();
  }

  void hold() {
    kit.hold();
  }

  List<Envelope> held() {
    return kit.held();
  }

  int deliverHeld(Predicate<Envelope> which) {
    return kit.deliverHeld(which);
  }

  int dropHeld(Predicate<Envelope> which) {
    return kit.dropHeld(which);
  }

  void release() {
    kit.release();
  }

  void recordSent() {
    kit.recordSent();
  }

  List<Envelope> sent() {
    return kit.sent();
  }

  /** Every node's log, for failure messages. */
  String logs() {
    return kit.logs();
  }
}
