package io.faultline.targets.sim;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A cluster of any bundled target's nodes that a unit test drives step by step: a {@link
 * VirtualCluster} on its own {@link Scheduler}, with a {@link ScriptedLinks} network (latency,
 * loss, duplication, partitions), messages held until the test delivers them by hand, crashes that
 * keep a chosen number of unsynced records, per-node wall-clock offsets, and client requests whose
 * {@link Reply} the test reads. Every message goes through the target's codec both ways, and must
 * come back equal.
 *
 * <p>Contract. Everything runs on the caller's thread, on virtual time, from one seed: the same
 * script gives the same run. Events at one instant run in the order they were queued, like the real
 * event loop, so a zero-delay timer runs after what was already queued. A test fails (with an
 * {@link AssertionError} naming the cause and the tail of the nodes' logs) as soon as a node throws,
 * answers a request twice, or sends a message its codec does not carry faithfully, and when a run
 * gets out of hand: more than {@link #DEFAULT_MAX_STEPS} events in all, or more than {@link
 * #DEFAULT_MAX_QUEUED} waiting (messages breeding messages), instead of exhausting the heap.
 */
public final class ScriptedCluster {
  public static final long MS = 1_000_000L;
  public static final long DEFAULT_MAX_STEPS = 20_000_000;
  public static final int DEFAULT_MAX_QUEUED = 200_000;

  /** One message as sent: who sent it, to whom, and what (as decoded from its bytes). */
  public record Envelope(String from, String to, Message message) {}

  private final List<String> ids;
  private final Scheduler scheduler = new Scheduler();
  private final ScriptedLinks links;
  private final VirtualCluster cluster;
  private final MessageCodec codec;
  /** The latest incarnation's node of each member, kept after it crashes. */
  private final Map<String, Node> latest = new TreeMap<>();
  /** Broken node contracts not yet reported: answers given twice, messages the codec changed. */
  private final List<String> violations = new ArrayList<>();
  private int errorsReported;
  private boolean nodeErrorsFail = true;
  private long maxSteps = DEFAULT_MAX_STEPS;
  private int maxQueued = DEFAULT_MAX_QUEUED;
  private BiConsumer<String, Node> prepare = (id, node) -> {};
  private Runnable check = () -> {};

  private boolean holding;
  private final List<Envelope> held = new ArrayList<>();
  private boolean recording;
  private final List<Envelope> sent = new ArrayList<>();

  /**
   * A cluster of {@code ids}, none started yet. The seed decides the nodes' random sources and
   * clocks' origins (as {@link VirtualCluster} draws them) and the network's draws.
   */
  public ScriptedCluster(NodeFactory factory, List<String> ids, long seed, Set<String> bugs,
      Map<String, String> settings) {
    this.ids = List.copyOf(ids);
    this.links = new ScriptedLinks(this.ids, Seeds.stream(seed, "scripted-network", 0));
    this.codec = factory.codec();
    this.cluster = new VirtualCluster(scheduler, links, factory, bugs, settings, this.ids, seed)
        .encodingMessages()
        .interceptSends(this::intercept)
        .afterEachCall(this::afterEachCall)
        .onNewNode(this::newNode)
        .onRepeatedAnswer(violations::add);
  }

  /** {@code n1} to {@code nSIZE}. */
  public static List<String> names(int size) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= size; i++) names.add("n" + i);
    return List.copyOf(names);
  }

  // ---------------------------------------------------------------- configuration

  /** Hands {@code hook} every new node, with its id, before it starts: where a test attaches observers. */
  public ScriptedCluster onNewNode(BiConsumer<String, Node> hook) {
    this.prepare = hook;
    return this;
  }

  /** Runs {@code check} after every event a node handles (start, message, timer, request): for invariants. */
  public ScriptedCluster afterEachEvent(Runnable check) {
    this.check = check;
    return this;
  }

  /** Changes the livelock guard: at most {@code maxSteps} events in all, at most {@code maxQueued} waiting. */
  public ScriptedCluster limits(long maxSteps, int maxQueued) {
    this.maxSteps = maxSteps;
    this.maxQueued = maxQueued;
    return this;
  }

  /** A node that throws is only killed, as in the simulator, for a test that expects it: see {@link #errors()}. */
  public ScriptedCluster allowNodeErrors() {
    this.nodeErrorsFail = false;
    return this;
  }

  // ---------------------------------------------------------------- time

  /** Virtual nanoseconds since the cluster was made. */
  public long now() {
    return scheduler.now();
  }

  /** Runs every event due within {@code millis}; afterwards the clock is exactly that much later. */
  public void run(long millis) {
    long end = now() + millis * MS;
    tickAt(end);
    drive(() -> false, end);
  }

  /**
   * Runs events until {@code condition} holds, checking it before each; false if it still does not
   * hold after {@code maxMillis}, and the clock is then that much later.
   */
  public boolean runUntil(BooleanSupplier condition, long maxMillis) {
    if (condition.getAsBoolean()) return true;
    long end = now() + maxMillis * MS;
    tickAt(end);
    return drive(condition, end) == Scheduler.Stop.DONE || condition.getAsBoolean();
  }

  /** An event that does nothing, so that the clock reaches {@code time} even when nothing else is due then. */
  private void tickAt(long time) {
    scheduler.at(time, () -> {});
  }

  private Scheduler.Stop drive(BooleanSupplier done, long until) {
    Scheduler.Stop stop = scheduler.run(done, until, maxSteps, maxQueued);
    if (stop == Scheduler.Stop.EVENTS || stop == Scheduler.Stop.PENDING) {
      throw new AssertionError("runaway: " + scheduler.executed() + " events run, " + scheduler.pending()
          + " queued at " + now() / MS + " ms; busiest: " + cluster.busiestSender() + "; last log lines:\n"
          + recentLines(40));
    }
    failOnBrokenContracts();
    return stop;
  }

  // ---------------------------------------------------------------- nodes

  public List<String> ids() {
    return ids;
  }

  /** Starts every member that is not running. */
  public ScriptedCluster startAll() {
    for (String id : ids) start(id);
    return this;
  }

  /** Boots {@code id} on whatever its storage holds; a running node is left alone. */
  public void start(String id) {
    cluster.start(id);
    failOnBrokenContracts();
  }

  /** Boots a node that is down, after {@link #crash}. */
  public void restart(String id) {
    if (up(id)) throw new IllegalStateException(id + " is running; crash it before restarting it");
    start(id);
  }

  /** Crashes {@code id} at once: its storage keeps what was synced and the first {@code keepUnsynced} records after. */
  public void crash(String id, int keepUnsynced) {
    cluster.kill(id, "crash", keepUnsynced);
  }

  /** Crashes {@code id}, losing everything it did not sync. */
  public void crash(String id) {
    crash(id, 0);
  }

  /** Stops calling {@code id}; what arrives for it meanwhile waits, in order, for {@link #resume}. */
  public void pause(String id) {
    cluster.pause(id);
  }

  public void resume(String id) {
    cluster.resume(id);
  }

  /** Sets how far {@code id}'s wall clock runs ahead of virtual time (behind, when negative). */
  public void wallOffset(String id, long millis) {
    cluster.clockOffset(id, millis);
  }

  public boolean up(String id) {
    return cluster.host(id).up();
  }

  /** The latest incarnation's node, running or crashed; null before the first start. */
  public Node node(String id) {
    cluster.host(id);
    return latest.get(id);
  }

  public VirtualStorage storage(String id) {
    return cluster.host(id).storage();
  }

  /** The cluster underneath, for what this class does not wrap. */
  public VirtualCluster cluster() {
    return cluster;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** What nodes threw, one line each: only ever non-empty after {@link #allowNodeErrors()}. */
  public List<String> errors() {
    return cluster.errors();
  }

  private void newNode(String id, Node node) {
    latest.put(id, node);
    prepare.accept(id, node);
  }

  private void afterEachCall() {
    failOnBrokenContracts();
    check.run();
  }

  private void failOnBrokenContracts() {
    if (!violations.isEmpty()) {
      String first = violations.get(0);
      violations.clear();
      throw new AssertionError(first + "\n" + recentLines(40));
    }
    List<String> errors = cluster.errors();
    if (nodeErrorsFail && errors.size() > errorsReported) {
      String first = errors.get(errorsReported);
      errorsReported = errors.size();
      throw new AssertionError(first + "\n" + recentLines(40));
    }
  }

  // ---------------------------------------------------------------- clients

  /**
   * Hands {@code request} to node {@code id} at once. The reply is answered when the node answers,
   * which may be before this returns; a node that is down never sees the request ({@link
   * Reply#refused()}).
   */
  public Reply request(String id, Request request) {
    boolean up = up(id);
    Reply reply = new Reply(id, now(), !up);
    if (up) cluster.request(id, request, response -> reply.answer(response, now()));
    return reply;
  }

  // ---------------------------------------------------------------- network

  public ScriptedLinks links() {
    return links;
  }

  /** See {@link ScriptedLinks#latency}. */
  public void latency(long minMillis, long maxMillis) {
    links.latency(minMillis, maxMillis);
  }

  /** See {@link ScriptedLinks#loss}. */
  public void loss(double loss, double duplication) {
    links.loss(loss, duplication);
  }

  /** Cuts every link between the groups, both ways; links within a group stay. */
  public void partition(List<List<String>> groups) {
    links.partition(groups);
    cluster.logAll("== partition " + groups);
  }

  public void isolate(String id) {
    links.isolate(id);
    cluster.logAll("== isolate " + id);
  }

  public void heal() {
    links.heal();
    cluster.logAll("== heal");
  }

  /** From now on every message is kept, off the network, until the test delivers, drops or releases it. */
  public void hold() {
    holding = true;
  }

  /** The held messages, oldest first. */
  public List<Envelope> held() {
    return List.copyOf(held);
  }

  /**
   * Delivers the held messages that match, at once and in the order they were sent, each to
   * whatever incarnation of its receiver runs now (none, if it is down; none over a cut link). What
   * they cause is held too.
   *
   * @return how many matched
   */
  public int deliverHeld(Predicate<Envelope> which) {
    List<Envelope> chosen = new ArrayList<>();
    for (Iterator<Envelope> it = held.iterator(); it.hasNext(); ) {
      Envelope e = it.next();
      if (which.test(e)) {
        chosen.add(e);
        it.remove();
      }
    }
    for (Envelope e : chosen) deliver(e);
    return chosen.size();
  }

  /** Forgets the held messages that match: they are lost. */
  public int dropHeld(Predicate<Envelope> which) {
    int before = held.size();
    held.removeIf(which);
    return before - held.size();
  }

  /**
   * Stops holding: the held messages arrive after the minimum latency, none lost or duplicated, each
   * at whatever incarnation of its receiver runs then.
   */
  public void release() {
    holding = false;
    List<Envelope> all = new ArrayList<>(held);
    held.clear();
    long at = now() + links.minLatencyNanos();
    for (Envelope e : all) scheduler.at(at, () -> deliver(e));
  }

  /** Records every message sent from now on (held or not, lost or not), for tests that count them. */
  public void recordSent() {
    recording = true;
    sent.clear();
  }

  public List<Envelope> sent() {
    return List.copyOf(sent);
  }

  private void deliver(Envelope e) {
    if (!links.blocked(e.from(), e.to())) cluster.deliver(e.from(), e.to(), e.message());
  }

  private boolean intercept(String from, String to, Message message) {
    Message copy = codec.decode(codec.encode(message));
    if (!copy.equals(message)) {
      violations.add("codec round trip changed " + message + " into " + copy + " (sent by " + from + ")");
    }
    Envelope e = new Envelope(from, to, copy);
    if (recording) sent.add(e);
    if (holding) {
      held.add(e);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- logs

  /** Every node's log, node by node, each line prefixed with its id: for failure messages. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (String id : ids) {
      for (String line : cluster.host(id).log().text().lines().toList()) {
        out.append(id).append(' ').append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** The last {@code count} lines of all logs merged in time order, as {@code stamp id text}. */
  private String recentLines(int count) {
    List<String[]> lines = new ArrayList<>();
    for (String id : ids) {
      for (String line : cluster.host(id).log().text().lines().toList()) {
        String trimmed = line.stripLeading();
        int space = trimmed.indexOf(' ');
        String stamp = space < 0 ? trimmed : trimmed.substring(0, space);
        lines.add(new String[] {stamp, id, space < 0 ? "" : trimmed.substring(space + 1)});
      }
    }
    // Stable, so lines of one instant keep each node's order; a longer stamp is a later second.
    lines.sort((a, b) -> a[0].length() != b[0].length()
        ? Integer.compare(a[0].length(), b[0].length()) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] l : lines.subList(Math.max(0, lines.size() - count), lines.size())) {
      out.append(l[0]).append(' ').append(l[1]).append(' ').append(l[2]).append('\n');
    }
    return out.toString();
  }
}
