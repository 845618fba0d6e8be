package io.faultline.targets.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.Timer;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.clientprotocol.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What nodes see of pauses, kills, partitions and clocks, through a probe that records everything. */
class VirtualClusterTest {
  private final List<String> events = new ArrayList<>();
  private final Scheduler scheduler = new Scheduler();
  private final TestLinks network = new TestLinks();
  private final VirtualCluster cluster = new VirtualCluster(scheduler, network, new ProbeProtocol(), Set.of(), Map.of(),
      List.of("n1", "n2", "n3"), 1);

  /** Every message takes 1 ms; a cut is a set of "from>to" links. */
  static final class TestLinks implements Links {
    final java.util.TreeSet<String> cut = new java.util.TreeSet<>();

    @Override
    public boolean blocked(String from, String to) {
      return cut.contains(from + ">" + to);
    }

    @Override
    public int copies(String from, String to) {
      return 1;
    }

    @Override
    public long delayNanos(String from, String to) {
      return 1_000_000L;
    }

    void isolate(String node, List<String> others) {
      for (String o : others) {
        cut.add(node + ">" + o);
        cut.add(o + ">" + node);
      }
    }

    void heal() {
      cut.clear();
    }
  }

  record Ping(int n) implements Message {}

  final class Probe implements Node {
    NodeContext ctx;
    Responder held;

    @Override
    public void start(NodeContext context) {
      ctx = context;
      events.add(ctx.id() + " start with " + ctx.storage().readAll().size() + " records");
    }

    @Override
    public void onMessage(String from, Message message) {
      if (message instanceof Ping p && p.n() < 0) throw new IllegalStateException("negative ping");
      events.add(ctx.id() + " got " + message + " from " + from);
    }

    @Override
    public void onTimer(Timer timer) {
      events.add(ctx.id() + " timer " + timer.tag());
    }

    @Override
    public void onClientRequest(Request request, Responder responder) {
      events.add(ctx.id() + " request " + request.f());
      held = responder;
    }
  }

  final class ProbeProtocol implements NodeFactory {
    @Override
    public String name() {
      return "probe";
    }

    @Override
    public List<String> bugs() {
      return List.of();
    }

    @Override
    public Node newNode(Set<String> bugs, Map<String, String> settings) {
      return new Probe();
    }

    @Override
    public MessageCodec codec() {
      throw new UnsupportedOperationException();
    }
  }

  private Probe probe(String id) {
    return (Probe) cluster.host(id).node();
  }

  private void startAll() {
    for (String n : cluster.ids()) cluster.start(n);
    events.clear();
  }

  private void runAll() {
    scheduler.run(() -> false, Long.MAX_VALUE, 1_000_000, 1_000_000);
  }

  private void runUntil(long nanos) {
    scheduler.run(() -> false, nanos, 1_000_000, 1_000_000);
  }

  @Test
  void messagesArriveAfterADelayAndNeverToTheSenderItself() {
    startAll();
    probe("n1").ctx.send("n2", new Ping(1));
    probe("n1").ctx.send("n1", new Ping(2));
    probe("n1").ctx.send("n9", new Ping(3));
    assertEquals(List.of(), events, "nothing arrives in zero time");
    runAll();
    assertEquals(List.of("n2 got Ping[n=1] from n1"), events);
    assertEquals(1_000_000, scheduler.now(), "delivered after the link's delay");
  }

  @Test
  void aPartitionDropsMessagesSentAcrossItAndThoseInFlightWhenItStarts() {
    startAll();
    probe("n1").ctx.send("n2", new Ping(1)); // in flight when the partition starts
    network.isolate("n1", List.of("n2", "n3"));
    probe("n1").ctx.send("n2", new Ping(2));
    probe("n2").ctx.send("n3", new Ping(3));
    runAll();
    network.heal();
    probe("n1").ctx.send("n2", new Ping(4));
    runAll();
    assertEquals(List.of("n3 got Ping[n=3] from n2", "n2 got Ping[n=4] from n1"), events);
  }

  @Test
  void aPausedNodeGetsNothingUntilResumedThenEverythingInOrder() {
    startAll();
    probe("n2").ctx.schedule(Duration.ofMillis(1), "t1");
    cluster.pause("n2");
    for (int i = 1; i <= 3; i++) probe("n1").ctx.send("n2", new Ping(i));
    assertTrue(cluster.request("n2", Request.read("x"), r -> events.add("answer")));
    runUntil(2_000_000_000L);
    assertEquals(List.of(), events, "a paused node hears nothing and fires no timer");
    cluster.resume("n2");
    runAll();
    // In the order they arrived: the request at once, the timer at 1 ms, the pings after their delays.
    assertEquals(5, events.size(), events.toString());
    assertEquals("n2 request read", events.get(0));
    assertEquals("n2 timer t1", events.get(1));
    assertEquals(3, events.stream().filter(e -> e.contains("Ping")).count());
  }

  @Test
  void aKillLosesMessagesInFlightAndTimersAndARestartRecoversFromStorage() {
    startAll();
    String n2 = "n2";
    probe("n2").ctx.storage().append("a".getBytes(StandardCharsets.UTF_8));
    probe("n2").ctx.storage().sync();
    probe("n2").ctx.schedule(Duration.ofMillis(50), "old timer");
    NodeContext oldContext = probe("n2").ctx;
    probe("n1").ctx.send("n2", new Ping(1));
    cluster.kill(n2, "test");
    cluster.start(n2); // restarted before the ping arrives: still lost, it was meant for the old process
    oldContext.send("n3", new Ping(2)); // a dead incarnation's context sends nothing
    runAll();
    assertEquals(List.of("n2 start with 1 records"), events);
    assertThrows(IllegalArgumentException.class, () -> cluster.request("n9", Request.read("x"), r -> {}), "no such node");
    cluster.kill(n2, "test");
    assertFalse(cluster.request("n2", Request.read("x"), r -> {}), "a down node refuses requests");
  }

  @Test
  void anAnswerFromAKilledIncarnationNeverReachesTheClient() {
    startAll();
    List<Response> answers = new ArrayList<>();
    assertTrue(cluster.request("n3", Request.read("x"), answers::add));
    runAll();
    Responder stale = probe("n3").held;
    cluster.kill("n3", "test");
    cluster.start("n3");
    stale.done(1);
    assertEquals(List.of(), answers);
    assertTrue(cluster.request("n3", Request.read("x"), answers::add));
    runAll();
    probe("n3").held.done(2);
    probe("n3").held.done(3); // at most once
    assertEquals(List.of(Response.done(2)), answers);
  }

  @Test
  void clockOffsetsMoveTheWallClockOnlyAndCancelledTimersStaySilent() {
    startAll();
    NodeContext c = probe("n1").ctx;
    long wall = c.wallMillis();
    long mono = c.monotonicNanos();
    cluster.clockOffset("n1", -5_000);
    assertEquals(wall - 5_000, c.wallMillis());
    assertEquals(mono, c.monotonicNanos());
    assertEquals(VirtualCluster.EPOCH_MILLIS, probe("n2").ctx.wallMillis(), "other nodes keep their clocks");
    Timer t = c.schedule(Duration.ofMillis(10), "cancelled");
    c.schedule(Duration.ofMillis(20), "kept");
    t.cancel();
    runAll();
    assertEquals(List.of("n1 timer kept"), events);
    assertEquals(mono + 20_000_000, c.monotonicNanos());
    assertTrue(probe("n1").ctx.monotonicNanos() != probe("n2").ctx.monotonicNanos(), "nodes do not share an origin");
  }

  @Test
  void aNodeThatThrowsIsKilledAndTheErrorKept() {
    startAll();
    probe("n1").ctx.send("n2", new Ping(-1));
    runAll();
    assertFalse(cluster.host("n2").up());
    assertEquals(1, cluster.errors().size());
    assertTrue(cluster.errors().get(0).startsWith("n2 threw java.lang.IllegalStateException: negative ping"),
        cluster.errors().get(0));
  }

  @Test
  void theSchedulerRunsEventsByTimeThenInTheOrderScheduled() {
    List<Integer> order = new ArrayList<>();
    scheduler.at(20, () -> order.add(3));
    scheduler.at(10, () -> order.add(1));
    scheduler.at(10, () -> order.add(2));
    scheduler.at(10, () -> scheduler.after(0, () -> order.add(4)));
    assertEquals(Scheduler.Stop.EMPTY, scheduler.run(() -> false, Long.MAX_VALUE, 100, 100));
    assertEquals(List.of(1, 2, 4, 3), order);
    scheduler.at(100, () -> order.add(5));
    assertEquals(Scheduler.Stop.TIME, scheduler.run(() -> false, 50, 100, 100));
  }
}
