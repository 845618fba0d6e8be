package io.faultline.targets.sim;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.Observation;
import io.faultline.targets.node.Storage;
import io.faultline.targets.node.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The node seam's virtual binding: a bundled target's nodes on virtual machines, on one thread and
 * one {@link Scheduler}, every random choice drawn from one seed. Each machine keeps what survives
 * its crashes (a {@link VirtualStorage}, a {@link VirtualLog}, a clock offset, a monotonic origin)
 * and runs at most one incarnation of the node at a time.
 *
 * <p>Contract, as a simulator and unit tests rely on it: a node is only ever called while it runs
 * the incarnation a delivery was meant for and is not paused; what arrives while it is paused
 * waits, in order, and is delivered on resume; what was meant for a killed incarnation is lost. A
 * node that throws (or fails an assertion) is killed on the spot and the error kept, one line each,
 * in {@link #errors()}. Nothing here reads a real clock or an unseeded random source, so one seed
 * replays the same run.
 */
public final class VirtualCluster {
  /** The virtual wall clock starts at 2026-01-01T00:00:00Z: fixed, so the same seed reads the same time. */
  public static final long EPOCH_MILLIS = 1_767_225_600_000L;

  private final Scheduler scheduler;
  private final Links links;
  private final NodeFactory factory;
  private final Set<String> bugs;
  private final Map<String, String> settings;
  private final long seed;
  private final List<String> ids;
  private final Map<String, Host> hosts = new TreeMap<>();
  private final Random disk;
  private final List<String> errors = new ArrayList<>();
  /** Messages sent, by sender and kind: what to name when a storm of them stops a run. */
  private final Map<String, long[]> sent = new TreeMap<>();
  private MessageCodec codec;
  // Hooks for scripted tests; null, the default, leaves every path exactly as without them.
  private SendInterceptor interceptor;
  private Runnable afterEachCall;
  private BiConsumer<String, Node> onNewNode;
  private BiConsumer<String, Observation> observations;
  private Consumer<String> repeatedAnswers;

  /**
   * Sees every message a running node sends to another member, before the network does: what a
   * scripted test uses to hold messages and deliver them by hand, or to record them.
   */
  @FunctionalInterface
  public interface SendInterceptor {
    /**
     * @return true when it took the message off the network (the links are not asked, nothing is
     *     scheduled), false to let it go on as usual
     */
    boolean take(String from, String to, Message message);
  }

  /** One machine: what survives the node's crashes, and the incarnation running on it, if any. */
  public static final class Host {
    private final String id;
    private final VirtualStorage storage = new VirtualStorage();
    private final VirtualLog log = new VirtualLog();
    /** Added to virtual time for {@code monotonicNanos}: nodes do not share an origin, as real hosts do not. */
    private final long monotonicOrigin;
    private long clockOffsetMillis;
    /** Counts starts: 1 for the first process, 2 after the first restart, and so on; 0 before any. */
    private int incarnation;
    private Node node;
    private boolean up;
    private boolean paused;
    /** Deliveries that arrived while paused, in arrival order. */
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();

    private Host(String id, long monotonicOrigin) {
      this.id = id;
      this.monotonicOrigin = monotonicOrigin;
    }

    public String id() {
      return id;
    }

    public VirtualStorage storage() {
      return storage;
    }

    public VirtualLog log() {
      return log;
    }

    public boolean up() {
      return up;
    }

    public boolean paused() {
      return up && paused;
    }

    public int incarnation() {
      return incarnation;
    }

    public long clockOffsetMillis() {
      return clockOffsetMillis;
    }

    /** The running incarnation's node, or null while down: for tests that look inside. */
    public Node node() {
      return node;
    }

    boolean runs(int inc) {
      return up && incarnation == inc;
    }
  }

  /**
   * @param ids the members, in the order {@link NodeContext#members()} gives them
   * @param seed every node's random source, monotonic origin and crash losses are drawn from it
   */
  public VirtualCluster(Scheduler scheduler, Links links, NodeFactory factory, Set<String> bugs,
      Map<String, String> settings, List<String> ids, long seed) {
    this.scheduler = scheduler;
    this.links = links;
    this.factory = factory;
    this.bugs = Set.copyOf(bugs);
    this.settings = Map.copyOf(settings);
    this.seed = seed;
    this.ids = List.copyOf(ids);
    this.disk = Seeds.stream(seed, "disk", 0);
    Random origins = Seeds.stream(seed, "monotonic-origin", 0);
    for (String id : this.ids) {
      // Origins up to about a day: a node's monotonic clock is unrelated to anyone else's.
      hosts.put(id, new Host(id, 1_000_000_000L + (long) (origins.nextDouble() * 86_400e9)));
    }
  }

  /**
   * Sends every message through the target's codec, both ways, as the real binding does: slower,
   * and what unit tests want, since a message the codec cannot carry is a bug of its own.
   */
  public VirtualCluster encodingMessages() {
    this.codec = factory.codec();
    return this;
  }

  /**
   * Puts {@code interceptor} between every node and the network (see {@link SendInterceptor}); the
   * messages it lets through are sent as without it, with the same draws from the links.
   */
  public VirtualCluster interceptSends(SendInterceptor interceptor) {
    this.interceptor = interceptor;
    return this;
  }

  /**
   * Runs {@code hook} after every call into a node (start, message, timer, client request, {@link
   * #ask}) has returned, outside the node: an invariant check that throws fails the caller, and is
   * not taken for the node's crash.
   */
  public VirtualCluster afterEachCall(Runnable hook) {
    this.afterEachCall = hook;
    return this;
  }

  /** Hands {@code hook} each node the factory makes, with its id, before the node starts: for observers. */
  public VirtualCluster onNewNode(BiConsumer<String, Node> hook) {
    this.onNewNode = hook;
    return this;
  }

  /**
   * Tells {@code listener} of every {@link Observation} a running node reports, with the node's id,
   * at once, inside the node's callback: a listener must not call back into the node, and defers
   * whatever it does to the cluster (a kill at a fault point) to an event of its own.
   */
  public VirtualCluster onObservation(BiConsumer<String, Observation> listener) {
    this.observations = listener;
    return this;
  }

  /**
   * Tells {@code listener}, in one line, of every answer a node gives to a request it has already
   * answered. Such an answer is dropped either way, as the real binding drops it; a unit test wants
   * to hear of it, because the node contract forbids it.
   */
  public VirtualCluster onRepeatedAnswer(Consumer<String> listener) {
    this.repeatedAnswers = listener;
    return this;
  }

  public long now() {
    return scheduler.now();
  }

  public List<String> ids() {
    return ids;
  }

  /** @throws IllegalArgumentException for an id that is not a member */
  public Host host(String id) {
    Host h = hosts.get(id);
    if (h == null) throw new IllegalArgumentException("no node '" + id + "' in this cluster; its nodes are " + ids);
    return h;
  }

  /** Errors thrown by nodes, one line each, in the order they happened. */
  public List<String> errors() {
    return errors;
  }

  /** The sender and kind of message sent most, with the count: {@code AppendEntries from n3 (120345 sent)}. */
  public String busiestSender() {
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

  /** Boots a fresh incarnation on whatever the machine's storage kept; does nothing to a running node. */
  public void start(String id) {
    Host n = host(id);
    if (n.up) return;
    n.incarnation++;
    int inc = n.incarnation;
    n.up = true;
    n.paused = false;
    n.held.clear();
    n.log.line(now(), "== start: incarnation " + inc + ", storage holds " + n.storage.size() + " records");
    try {
      n.node = factory.newNode(bugs, settings);
    } catch (RuntimeException e) {
      threw(n, "newNode", e);
      return;
    }
    if (onNewNode != null) onNewNode.accept(n.id, n.node);
    Context context = new Context(n, inc, Seeds.stream(seed, "node/" + n.id, inc));
    call(n, inc, node -> node.start(context));
  }

  /** Kills the running incarnation: it keeps what was synced and a random prefix of the rest. */
  public void kill(String id, String why) {
    Host n = host(id);
    if (!n.up) return;
    stop(n);
    int lost = n.storage.crash(disk);
    n.log.line(now(), "== kill (" + why + "): " + lost + " unsynced records lost, " + n.storage.size() + " kept");
  }

  /**
   * Kills the running incarnation as a test chooses: its storage keeps what was synced and exactly
   * the first {@code keepUnsynced} of the records appended since (all of them, if fewer). Draws
   * nothing from the seed.
   */
  public void kill(String id, String why, int keepUnsynced) {
    Host n = host(id);
    if (!n.up) return;
    stop(n);
    int lost = n.storage.crash(keepUnsynced);
    n.log.line(now(), "== kill (" + why + "): " + lost + " unsynced records lost, " + n.storage.size() + " kept");
  }

  private static void stop(Host n) {
    n.up = false;
    n.paused = false;
    n.held.clear();
    n.node = null;
  }

  public void pause(String id) {
    Host n = host(id);
    if (!n.up || n.paused) return;
    n.paused = true;
    n.log.line(now(), "== pause");
  }

  public void resume(String id) {
    Host n = host(id);
    if (!n.up || !n.paused) return;
    n.paused = false;
    n.log.line(now(), "== resume: " + n.held.size() + " deliveries waiting");
    // Each waiting delivery becomes an event now, in arrival order, and checks the node again when
    // it runs: the node may be killed or paused again in between.
    while (!n.held.isEmpty()) scheduler.at(now(), n.held.poll());
  }

  /** Sets how far the machine's wall clock runs ahead of virtual time (behind, when negative). */
  public void clockOffset(String id, long offsetMillis) {
    Host n = host(id);
    if (n.clockOffsetMillis == offsetMillis) return;
    n.clockOffsetMillis = offsetMillis;
    n.log.line(now(), "== wall clock offset " + offsetMillis + " ms");
  }

  /** One line in every node's log, such as a partition healed. */
  public void logAll(String line) {
    for (Host n : hosts.values()) n.log.line(now(), line);
  }

  /**
   * Hands a client request to node {@code id}; its answer goes to {@code answer} at most once, and
   * only while the incarnation that took the request still runs.
   *
   * @return false when the node is down, as a refused connection would say
   */
  public boolean request(String id, Request request, Consumer<Response> answer) {
    Host n = host(id);
    if (!n.up) return false;
    int inc = n.incarnation;
    Responder responder = new Responder() {
      private boolean used;
      private Response first;

      @Override
      public void reply(Response response) {
        if (used || response == null) {
          if (used && response != null && repeatedAnswers != null) {
            repeatedAnswers.accept(n.id + " answered " + request + " twice: " + first + ", then " + response);
          }
          return;
        }
        used = true;
        first = response;
        if (n.runs(inc)) answer.accept(response);
      }
    };
    call(n, inc, node -> node.onClientRequest(request, responder));
    return true;
  }

  /**
   * Asks a running, unpaused node at once, off the network, and returns its answer if it gives one
   * before returning: a controller's look at a node's status, which takes no virtual time.
   */
  public Optional<Response> ask(String id, Request request) {
    Host n = host(id);
    if (!n.up || n.paused) return Optional.empty();
    Response[] answer = new Response[1];
    call(n, n.incarnation, node -> node.onClientRequest(request, r -> {
      if (answer[0] == null) answer[0] = r;
    }));
    return Optional.ofNullable(answer[0]);
  }

  /**
   * Hands {@code message} to node {@code to} at once, as if it had just arrived from {@code from},
   * whatever incarnation runs now: for a test that held a message and delivers it by hand. Nothing
   * is asked of the links; a node that is down loses it, a paused one gets it on resume.
   */
  public void deliver(String from, String to, Message message) {
    host(from);
    Host target = host(to);
    if (!target.up) return;
    call(target, target.incarnation, node -> node.onMessage(from, message));
  }

  /** Calls the node if it runs incarnation {@code inc}; holds the call while it is paused. */
  private void call(Host n, int inc, Consumer<Node> action) {
    if (!n.runs(inc)) return;
    if (n.paused) {
      n.held.add(() -> call(n, inc, action));
      return;
    }
    Node node = n.node;
    try {
      action.accept(node);
    } catch (RuntimeException | AssertionError | StackOverflowError e) {
      // Killed during this very callback (a fault point): what it did after that never happened.
      if (n.runs(inc)) threw(n, "a callback", e);
    }
    if (afterEachCall != null) afterEachCall.run();
  }

  private void threw(Host n, String where, Throwable e) {
    StringBuilder at = new StringBuilder();
    VirtualLog.stamp(at, now());
    errors.add(n.id + " threw " + e + " in " + where + " at" + at + " s (treated as a crash)");
    n.log.line(now(), "== threw " + e);
    StackTraceElement[] trace = e.getStackTrace();
    for (int i = 0; i < Math.min(12, trace.length); i++) n.log.line(now(), "==   at " + trace[i]);
    if (n.up) {
      kill(n.id, "threw");
    } else {
      n.node = null;
    }
  }

  private void send(Host from, String to, Message message) {
    Host target = hosts.get(to);
    if (interceptor != null && target != null && target != from && interceptor.take(from.id, to, message)) return;
    if (target == null || target == from || !target.up || links.blocked(from.id, to)) return;
    sent.computeIfAbsent(from.id + " " + message.getClass().getSimpleName(), k -> new long[1])[0]++;
    Message carried = codec == null ? message : codec.decode(codec.encode(message));
    int inc = target.incarnation;
    int copies = links.copies(from.id, to);
    for (int i = 0; i < copies; i++) {
      scheduler.after(links.delayNanos(from.id, to), () -> {
        if (!links.blocked(from.id, to)) call(target, inc, node -> node.onMessage(from.id, carried));
      });
    }
  }

  private Timer schedule(Host n, int inc, Duration after, Object tag) {
    VirtualTimer timer = new VirtualTimer(tag);
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

  /** What one incarnation of one node sees: virtual clocks, the virtual network, its machine's disk. */
  private final class Context implements NodeContext {
    private final Host host;
    private final int incarnation;
    private final Random random;

    Context(Host host, int incarnation, Random random) {
      this.host = host;
      this.incarnation = incarnation;
      this.random = random;
    }

    @Override
    public String id() {
      return host.id;
    }

    @Override
    public List<String> members() {
      return ids;
    }

    @Override
    public long wallMillis() {
      return EPOCH_MILLIS + now() / 1_000_000 + host.clockOffsetMillis;
    }

    @Override
    public long monotonicNanos() {
      return host.monotonicOrigin + now();
    }

    @Override
    public Random random() {
      return random;
    }

    @Override
    public Storage storage() {
      return storage;
    }

    /**
     * The machine's disk as this incarnation may touch it: once the incarnation is killed (even in
     * the middle of one of its callbacks, at a fault point) its writes go nowhere, as a crashed
     * process's would, and the next incarnation finds the disk as the crash left it.
     */
    private final Storage storage = new Storage() {
      @Override
      public void append(byte[] record) {
        if (host.runs(incarnation)) host.storage.append(record);
      }

      @Override
      public void sync() {
        if (host.runs(incarnation)) host.storage.sync();
      }

      @Override
      public List<byte[]> readAll() {
        return host.storage.readAll();
      }

      @Override
      public void rewrite(List<byte[]> records) {
        if (host.runs(incarnation)) host.storage.rewrite(records);
      }
    };

    @Override
    public void send(String to, Message message) {
      if (host.runs(incarnation)) VirtualCluster.this.send(host, to, message);
    }

    @Override
    public Timer schedule(Duration after, Object tag) {
      return VirtualCluster.this.schedule(host, incarnation, after, tag);
    }

    @Override
    public void log(String line) {
      host.log.line(now(), line);
    }

    @Override
    public void observe(Observation observation) {
      if (observations != null && host.runs(incarnation)) observations.accept(host.id, observation);
    }
  }

  private static final class VirtualTimer implements Timer {
    private final Object tag;
    private boolean cancelled;

    VirtualTimer(Object tag) {
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
