package io.faultline.harness.sim;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.Timer;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.clientprotocol.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The simulated machines and what can be done to them: start, crash, pause, resume, skew a clock,
 * and the delivery of messages, timers and client requests to whichever incarnation runs.
 *
 * <p>Contract, as the nemesis and clients rely on it: a node is only ever called while it runs the
 * incarnation a delivery was meant for and is not paused; what arrives while it is paused waits, in
 * order, and is delivered on resume; what was meant for a crashed incarnation is lost. A node that
 * throws is crashed on the spot and the error kept for the verdict.
 */
final class Cluster {
  private final Scheduler scheduler;
  private final Network network;
  private final NodeFactory protocol;
  private final Set<String> bugs;
  private final Map<String, String> settings;
  private final long seed;
  private final List<String> ids;
  private final List<SimNode> nodes = new ArrayList<>();
  private final Map<String, SimNode> byId = new TreeMap<>();
  private final Random disk;
  private final List<String> errors = new ArrayList<>();
  /** Messages sent, by sender and kind: what to name when a storm of them stops a run. */
  private final Map<String, long[]> sent = new TreeMap<>();

  Cluster(Scheduler scheduler, Network network, NodeFactory protocol, Set<String> bugs, Map<String, String> settings,
      int size, long seed) {
    this.scheduler = scheduler;
    this.network = network;
    this.protocol = protocol;
    this.bugs = bugs;
    this.settings = settings;
    this.seed = seed;
    this.disk = Seeds.stream(seed, "disk", 0);
    Random origins = Seeds.stream(seed, "monotonic-origin", 0);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      String id = "n" + i;
      names.add(id);
      // Origins up to about a day: a node's monotonic clock is unrelated to anyone else's.
      SimNode n = new SimNode(id, i - 1, 1_000_000_000L + (long) (origins.nextDouble() * 86_400e9));
      nodes.add(n);
      byId.put(id, n);
    }
    this.ids = List.copyOf(names);
  }

  long now() {
    return scheduler.now();
  }

  List<String> ids() {
    return ids;
  }

  List<SimNode> nodes() {
    return nodes;
  }

  SimNode node(String id) {
    return byId.get(id);
  }

  /** Errors thrown by nodes, one line each, in the order they happened. */
  List<String> errors() {
    return errors;
  }

  /** The sender and kind of message sent most, with the count: {@code AppendEntries from n3 (120345)}. */
  String busiestSender() {
    String top = null;
    long most = -1;
    for (Map.Entry<String, long[]> e : sent.entrySet()) {
      if (e.getValue()[0] > most) {
        most = e.getValue()[0];
        top = e.getKey();
      }
    }
    if (top == null) return "no messages";
    int space = top.indexOf(' ');
    return top.substring(space + 1) + " from " + top.substring(0, space) + " (" + most + " sent)";
  }

  /** Boots a fresh incarnation on whatever the node's storage kept. */
  void start(SimNode n) {
    if (n.up) return;
    n.incarnation++;
    int inc = n.incarnation;
    n.up = true;
    n.paused = false;
    n.held.clear();
    n.log.line(now(), "== start: incarnation " + inc + ", storage holds " + n.storage.size() + " records");
    try {
      n.node = protocol.newNode(bugs, settings);
    } catch (RuntimeException e) {
      threw(n, "newNode", e);
      return;
    }
    SimContext context = new SimContext(this, n, inc, Seeds.stream(seed, "node/" + n.id, inc));
    call(n, inc, node -> node.start(context));
  }

  void crash(SimNode n, String why) {
    if (!n.up) return;
    n.up = false;
    n.paused = false;
    n.held.clear();
    n.node = null;
    int lost = n.storage.crash(disk);
    n.log.line(now(), "== crash (" + why + "): " + lost + " unsynced records lost, " + n.storage.size() + " kept");
  }

  void pause(SimNode n) {
    if (!n.up || n.paused) return;
    n.paused = true;
    n.log.line(now(), "== pause");
  }

  void resume(SimNode n) {
    if (!n.up || !n.paused) return;
    n.paused = false;
    n.log.line(now(), "== resume: " + n.held.size() + " deliveries waiting");
    // Each waiting delivery becomes an event now, in arrival order, and checks the node again when
    // it runs: the node may crash or be paused again in between.
    while (!n.held.isEmpty()) scheduler.at(now(), n.held.poll());
  }

  void clock(SimNode n, long offsetMillis) {
    n.clockOffsetMillis = offsetMillis;
    n.log.line(now(), "== wall clock offset " + offsetMillis + " ms");
  }

  /** Calls the node if it runs incarnation {@code inc}; holds the call while it is paused. */
  void call(SimNode n, int inc, Consumer<Node> action) {
    if (!n.runs(inc)) return;
    if (n.paused) {
      n.held.add(() -> call(n, inc, action));
      return;
    }
    try {
      action.accept(n.node);
    } catch (RuntimeException | AssertionError | StackOverflowError e) {
      threw(n, "a callback", e);
    }
  }

  private void threw(SimNode n, String where, Throwable e) {
    StringBuilder at = new StringBuilder();
    NodeLog.stamp(at, now());
    errors.add(n.id + " threw " + e + " in " + where + " at" + at + " s (treated as a crash)");
    n.log.line(now(), "== threw " + e);
    StackTraceElement[] trace = e.getStackTrace();
    for (int i = 0; i < Math.min(12, trace.length); i++) n.log.line(now(), "==   at " + trace[i]);
    if (n.up) {
      crash(n, "threw");
    } else {
      n.node = null;
    }
  }

  void send(SimNode from, String to, Message message) {
    SimNode target = byId.get(to);
    if (target == null || target == from || !target.up || network.blocked(from.id, to)) return;
    sent.computeIfAbsent(from.id + " " + message.getClass().getSimpleName(), k -> new long[1])[0]++;
    int inc = target.incarnation;
    int copies = network.copies(from.id, to);
    for (int i = 0; i < copies; i++) {
      scheduler.after(network.delay(), () -> {
        if (!network.blocked(from.id, to)) call(target, inc, node -> node.onMessage(from.id, message));
      });
    }
  }

  Timer schedule(SimNode n, int inc, Duration after, Object tag) {
    SimTimer timer = new SimTimer(tag);
    long nanos;
    try {
      nanos = after == null || after.isNegative() ? 0 : after.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = Long.MAX_VALUE / 4;
    }
    scheduler.after(nanos, () -> {
      if (!timer.cancelled) call(n, inc, node -> {
        if (!timer.cancelled) node.onTimer(timer);
      });
    });
    return timer;
  }

  /**
   * Hands a client request to node {@code id}; its answer goes to {@code answer} at most once, and
   * only while the incarnation that took the request still runs.
   *
   * @return false when the node is down, as a refused connection would say
   */
  boolean request(String id, Request request, Consumer<Response> answer) {
    SimNode n = byId.get(id);
    if (n == null || !n.up) return false;
    int inc = n.incarnation;
    Responder responder = new Responder() {
      private boolean used;

      @Override
      public void reply(Response response) {
        if (used || response == null) return;
        used = true;
        if (n.runs(inc)) answer.accept(response);
      }
    };
    call(n, inc, node -> node.onClientRequest(request, responder));
    return true;
  }

  private static final class SimTimer implements Timer {
    private final Object tag;
    private boolean cancelled;

    SimTimer(Object tag) {
      this.tag = tag;
    }

    @Override
    public Object tag() {
      return tag;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public String toString() {
      return "Timer(" + tag + (cancelled ? ", cancelled" : "") + ")";
    }
  }
}
