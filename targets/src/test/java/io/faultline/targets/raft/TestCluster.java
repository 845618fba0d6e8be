package io.faultline.targets.raft;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.Storage;
import io.faultline.targets.node.Timer;
import io.faultline.targets.clientprotocol.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A scripted Raft cluster on virtual time, for unit tests: nodes with in-memory storage that can
 * crash and lose unsynced records, one clock that the test advances, per-node wall-clock offsets,
 * and a network the test controls (latency, loss, duplication, partitions, or holding every message
 * until the test delivers it by hand). Every message goes through the codec, both ways.
 *
 * <p>Events at the same instant run in the order they were queued, like the real event loop: a
 * zero-delay timer runs after what was already queued.
 */
final class TestCluster {
  static final long MS = 1_000_000L;
  /** Where the monotonic and wall clocks start, so that no arithmetic starts at zero by luck. */
  private static final long MONOTONIC_ORIGIN = 7_000_000_000L;
  private static final long WALL_ORIGIN = 1_700_000_000_000L;

  record Envelope(String from, String to, Message message) {}

  private record Event(long time, long seq, Runnable action) {}

  final class Slot {
    final String id;
    final MemStorage storage = new MemStorage();
    RaftNode node;
    boolean up;
    int incarnation;
    long wallOffsetMillis;
    final List<String> log = new ArrayList<>();

    Slot(String id) {
      this.id = id;
    }
  }

  private final class Ctx implements NodeContext {
    private final Slot slot;
    private final int incarnation;
    private final Random random;

    Ctx(Slot slot) {
      this.slot = slot;
      this.incarnation = slot.incarnation;
      this.random = new Random(seed * 1_000_003L + slot.id.hashCode() * 31L + incarnation);
    }

    private boolean alive() {
      return slot.up && slot.incarnation == incarnation;
    }

    @Override public String id() {
      return slot.id;
    }

    @Override public List<String> members() {
      return ids;
    }

    @Override public long wallMillis() {
      return WALL_ORIGIN + now / MS + slot.wallOffsetMillis;
    }

    @Override public long monotonicNanos() {
      return MONOTONIC_ORIGIN + now;
    }

    @Override public Random random() {
      return random;
    }

    @Override public Storage storage() {
      return slot.storage;
    }

    @Override public void send(String to, Message message) {
      if (alive()) {
        transmit(slot.id, to, message);
      }
    }

    @Override public Timer schedule(Duration after, Object tag) {
      TestTimer timer = new TestTimer(tag);
      at(now + after.toNanos(), () -> {
        if (!timer.cancelled && alive()) {
          slot.node.onTimer(timer);
          afterEvent();
        }
      });
      return timer;
    }

    @Override public void log(String line) {
      slot.log.add(now / MS + "ms " + line);
    }
  }

  private static final class TestTimer implements Timer {
    private final Object tag;
    boolean cancelled;

    TestTimer(Object tag) {
      this.tag = tag;
    }

    @Override public Object tag() {
      return tag;
    }

    @Override public void cancel() {
      cancelled = true;
    }
  }

  final List<String> ids;
  private final long seed;
  private final Random random;
  private final Set<String> bugs;
  private final Map<String, String> settings;
  private final MessageCodec codec = new RaftNodeFactory().codec();
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final PriorityQueue<Event> events = new PriorityQueue<>(
      (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private long seq;
  private long now;
  private long steps;
  /** A livelock (messages breeding messages) fails the test instead of exhausting the heap. */
  private static final long MAX_STEPS = 20_000_000;
  private static final int MAX_QUEUED = 200_000;

  // The network.
  private final Set<String> cut = new TreeSet<>();
  private long minLatency = MS;
  private long maxLatency = MS;
  private double dropRate;
  private double duplicateRate;
  private boolean holding;
  private final List<Envelope> held = new ArrayList<>();
  private final List<Envelope> sent = new ArrayList<>();
  private boolean recordSent;

  private RaftNode.ApplyObserver applyObserver = entry -> {};
  private Runnable afterEvent = () -> {};
  private Map<String, RaftNode.ApplyObserver> perNodeObservers = new LinkedHashMap<>();

  TestCluster(int size, long seed, Set<String> bugs, Map<String, String> settings) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      names.add("n" + i);
    }
    this.ids = List.copyOf(names);
    this.seed = seed;
    this.random = new Random(seed);
    this.bugs = bugs;
    this.settings = settings;
    for (String id : ids) {
      slots.put(id, new Slot(id));
    }
  }

  static TestCluster of(int size) {
    return new TestCluster(size, 1, Set.of(), Map.of());
  }

  /** Starts every node. */
  TestCluster start() {
    for (String id : ids) {
      boot(slots.get(id));
    }
    return this;
  }

  private void boot(Slot slot) {
    slot.up = true;
    slot.node = (RaftNode) new RaftNodeFactory().newNode(bugs, settings);
    slot.node.observeApplies(entry -> {
      applyObserver.applied(entry);
      RaftNode.ApplyObserver mine = perNodeObservers.get(slot.id);
      if (mine != null) {
        mine.applied(entry);
      }
    });
    slot.node.start(new Ctx(slot));
    afterEvent();
  }

  // ---------------------------------------------------------------- time

  long now() {
    return now;
  }

  private void at(long time, Runnable action) {
    events.add(new Event(time, seq++, action));
  }

  /** Advances virtual time by {@code millis}, running every event due until then. */
  void run(long millis) {
    long end = now + millis * MS;
    while (!events.isEmpty() && events.peek().time <= end) {
      step();
    }
    now = end;
  }

  /** Runs events until {@code condition} holds (checked after each); false if time ran out first. */
  boolean runUntil(BooleanSupplier condition, long maxMillis) {
    long end = now + maxMillis * MS;
    while (!condition.getAsBoolean()) {
      if (events.isEmpty() || events.peek().time > end) {
        now = end;
        return condition.getAsBoolean();
      }
      step();
    }
    return true;
  }

  private void step() {
    if (++steps > MAX_STEPS || events.size() > MAX_QUEUED) {
      throw new AssertionError("runaway: " + steps + " events run, " + events.size() + " queued at "
          + now / MS + " ms; last log lines:\n" + tail(logs(), 40));
    }
    Event e = events.poll();
    now = e.time;
    e.action.run();
  }

  private void afterEvent() {
    afterEvent.run();
  }

  // ---------------------------------------------------------------- nodes

  Slot slot(String id) {
    return slots.get(id);
  }

  RaftNode node(String id) {
    return slots.get(id).node;
  }

  boolean up(String id) {
    return slots.get(id).up;
  }

  /** The live leader with the highest term, or null. */
  String leader() {
    String best = null;
    for (Slot s : slots.values()) {
      if (s.up && s.node.role() == RaftNode.Role.LEADER
          && (best == null || s.node.term() > node(best).term())) {
        best = s.id;
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
    Slot s = slots.get(id);
    s.up = false;
    s.incarnation++;
    s.storage.crash(keepUnsynced);
  }

  void crash(String id) {
    crash(id, 0);
  }

  void restart(String id) {
    Slot s = slots.get(id);
    s.incarnation++;
    boot(s);
  }

  void wallOffset(String id, long millis) {
    slots.get(id).wallOffsetMillis = millis;
  }

  void observeApplies(RaftNode.ApplyObserver observer) {
    this.applyObserver = observer;
  }

  void observeApplies(String id, RaftNode.ApplyObserver observer) {
    perNodeObservers.put(id, observer);
  }

  /** Runs after every event (message, timer, start), for invariant checks. */
  void afterEachEvent(Runnable check) {
    this.afterEvent = check;
  }

  // ---------------------------------------------------------------- clients

  Reply request(String id, Request request) {
    Reply reply = new Reply(this, id);
    Slot s = slots.get(id);
    if (s.up) {
      s.node.onClientRequest(request, reply);
      afterEvent();
    }
    return reply;
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
    this.minLatency = minMillis * MS;
    this.maxLatency = maxMillis * MS;
  }

  void loss(double drop, double duplicate) {
    this.dropRate = drop;
    this.duplicateRate = duplicate;
  }

  /** Cuts every link between the groups (both ways); links within a group stay. */
  void partition(List<List<String>> groups) {
    for (List<String> a : groups) {
      for (List<String> b : groups) {
        if (a != b) {
          for (String x : a) {
            for (String y : b) {
              cut.add(x + ">" + y);
            }
          }
        }
      }
    }
  }

  void isolate(String id) {
    for (String other : ids) {
      if (!other.equals(id)) {
        cut.add(id + ">" + other);
        cut.add(other + ">" + id);
      }
    }
  }

  void heal() {
    cut.clear();
  }

  /** From now on messages are kept until the test delivers, releases or drops them. */
  void hold() {
    holding = true;
  }

  List<Envelope> held() {
    return List.copyOf(held);
  }

  /** Delivers the held messages that match, at once and in order; what they cause is held too. */
  int deliverHeld(Predicate<Envelope> which) {
    List<Envelope> chosen = new ArrayList<>();
    for (Iterator<Envelope> it = held.iterator(); it.hasNext(); ) {
      Envelope e = it.next();
      if (which.test(e)) {
        chosen.add(e);
        it.remove();
      }
    }
    for (Envelope e : chosen) {
      deliver(e);
    }
    return chosen.size();
  }

  int dropHeld(Predicate<Envelope> which) {
    int before = held.size();
    held.removeIf(which);
    return before - held.size();
  }

  /** Stops holding: the held messages go onto the network, to arrive after the usual latency. */
  void release() {
    holding = false;
    List<Envelope> all = new ArrayList<>(held);
    held.clear();
    for (Envelope e : all) {
      at(now + minLatency, () -> deliver(e));
    }
  }

  /** Records every message sent from now on, for tests that count messages. */
  void recordSent() {
    recordSent = true;
    sent.clear();
  }

  List<Envelope> sent() {
    return List.copyOf(sent);
  }

  private void transmit(String from, String to, Message message) {
    byte[] bytes = codec.encode(message);
    Message copy = codec.decode(bytes);
    if (!copy.equals(message)) {
      throw new AssertionError("codec round trip changed " + message + " into " + copy);
    }
    Envelope e = new Envelope(from, to, copy);
    if (recordSent) {
      sent.add(e);
    }
    if (!slots.containsKey(to)) {
      return;
    }
    if (holding) {
      held.add(e);
      return;
    }
    if (dropRate > 0 && random.nextDouble() < dropRate) {
      return;
    }
    int copies = duplicateRate > 0 && random.nextDouble() < duplicateRate ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      long latency = minLatency
          + (maxLatency > minLatency ? (long) (random.nextDouble() * (maxLatency - minLatency)) : 0);
      at(now + latency, () -> deliver(e));
    }
  }

  private void deliver(Envelope e) {
    Slot s = slots.get(e.to());
    if (!s.up || cut.contains(e.from() + ">" + e.to())) {
      return;
    }
    s.node.onMessage(e.from(), e.message());
    afterEvent();
  }

  Random random() {
    return random;
  }

  private static String tail(String text, int lines) {
    List<String> all = text.lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Every node's log, for failure messages. */
  String logs() {
    StringBuilder out = new StringBuilder();
    for (Slot s : slots.values()) {
      for (String line : s.log) {
        out.append(s.id).append(' ').append(line).append('\n');
      }
    }
    return out.toString();
  }
}
