package io.faultline.targets.gossip;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.clientprotocol.Response;
import io.faultline.targets.kv.KvRequests;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One replica of the gossip store. It answers every request from its own state at once (never
 * "not the leader", never waiting for a peer), logs and syncs a client's write before it
 * acknowledges it, and every {@code gossip-interval} runs a push-pull round with one peer drawn
 * from its seeded random: it sends a digest (a hash per key), the peer answers with the states
 * whose hashes differ and the keys it wants back, and the round ends with those. States merge as
 * CRDTs ({@link Crdt}), so replicas that have exchanged everything hold the same state.
 *
 * <p>Operations: {@code read}; {@code write} (a whole number, to a last-writer-wins register);
 * {@code add} and {@code remove} (a whole-number element, to an observed-remove set, or {@code add}
 * only to a grow-only set with {@code sets=g-set}); {@code incr} (a signed whole number, to a
 * PN-counter). A key takes the kind of its first update; an update of another kind is refused.
 * {@code cas} is refused: compare-and-set needs the linearizability this store does not offer.
 */
final class GossipNode implements Node {
  private static final String ROUND = "gossip-round";

  private final GossipSettings settings;
  private final TreeMap<String, Crdt> state = new TreeMap<>();
  private NodeContext ctx;
  /** The highest LWW stamp issued or seen here. */
  private long lastStamp;
  /** The last add dot this node issued: dots are {@code <id>:<n>}, unique across its restarts. */
  private long lastDot;
  private int logRecords;
  /** Bytes appended since the log was last rewritten: gossip logs whole states, which add up. */
  private long logBytes;
  /** Rewrite the log once this much was appended since the last rewrite, whatever the record count. */
  private static final long COMPACT_BYTES = 4L << 20;

  /** A write acknowledged but not yet applied, under the planted {@code early-ack}. */
  private record Pending(Request request) {}

  GossipNode(GossipSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start(NodeContext context) {
    this.ctx = context;
    state.clear();
    lastStamp = 0;
    lastDot = 0;
    List<byte[]> records = ctx.storage().readAll();
    for (byte[] record : records) {
      GossipMessage.KeyState ks = GossipCodec.readRecord(record);
      merge(ks.key(), ks.state());
    }
    logRecords = records.size();
    logBytes = 0;
    for (byte[] record : records) logBytes += record.length;
    ctx.log("gossip node " + ctx.id() + ": " + state.size() + " keys from " + records.size() + " log records, clock "
        + settings.clock().wireName + (settings.bugs().isEmpty() ? "" : ", bugs " + settings.bugs()));
    ctx.schedule(settings.gossipInterval(), ROUND);
  }

  @Override
  public void onTimer(Timer timer) {
    if (timer.tag() instanceof Pending p) {
      apply(p.request());
      return;
    }
    if (!ROUND.equals(timer.tag())) return;
    List<String> peers = new ArrayList<>(ctx.members());
    peers.remove(ctx.id());
    if (!peers.isEmpty()) ctx.send(peers.get(ctx.random().nextInt(peers.size())), new GossipMessage.Digest(digest()));
    ctx.schedule(settings.gossipInterval(), ROUND);
  }

  @Override
  public void onMessage(String from, Message message) {
    if (message instanceof GossipMessage.Digest d) {
      TreeMap<String, Long> mine = digest();
      TreeSet<String> differing = new TreeSet<>();
      for (Map.Entry<String, Long> e : mine.entrySet()) if (!e.getValue().equals(d.hashes().get(e.getKey()))) differing.add(e.getKey());
      for (String key : d.hashes().keySet()) if (!mine.containsKey(key)) differing.add(key);
      if (differing.isEmpty()) return;
      List<GossipMessage.KeyState> push = new ArrayList<>();
      List<String> pull = new ArrayList<>();
      for (String key : differing) {
        if (state.containsKey(key)) push.add(new GossipMessage.KeyState(key, state.get(key)));
        if (d.hashes().containsKey(key)) pull.add(key);
      }
      ctx.send(from, new GossipMessage.Delta(push, pull));
    } else if (message instanceof GossipMessage.Delta d) {
      for (GossipMessage.KeyState ks : d.states()) {
        if (merge(ks.key(), ks.state())) log(ks.key(), state.get(ks.key()));
      }
      if (!d.wanted().isEmpty()) {
        List<GossipMessage.KeyState> back = new ArrayList<>();
        for (String key : d.wanted()) if (state.containsKey(key)) back.add(new GossipMessage.KeyState(key, state.get(key)));
        if (!back.isEmpty()) ctx.send(from, new GossipMessage.Delta(back, List.of()));
      }
      compactIfDue();
    }
  }

  /** The hash of every key's state this node gossips; {@code partial-sync} leaves one key in four out. */
  private TreeMap<String, Long> digest() {
    TreeMap<String, Long> hashes = new TreeMap<>();
    for (Map.Entry<String, Crdt> e : state.entrySet()) {
      if (settings.has(GossipBug.PARTIAL_SYNC) && Math.floorMod(e.getKey().hashCode(), 4) == 0) continue;
      hashes.put(e.getKey(), GossipCodec.hash(e.getValue()));
    }
    return hashes;
  }

  /** Joins {@code incoming} into the key's state; true when that changed it. */
  private boolean merge(String key, Crdt incoming) {
    Crdt current = state.get(key);
    Crdt next;
    if (current == null) {
      next = incoming;
    } else if (current.getClass() != incoming.getClass()) {
      ctx.log("key " + key + " is a " + current.kind() + " here and a " + incoming.kind() + " elsewhere; kept " + current.kind());
      return false;
    } else {
      next = current.merge(incoming, !settings.has(GossipBug.BAD_MERGE));
    }
    if (settings.clock().learns() || (incoming instanceof Crdt.Register r && r.writer().equals(ctx.id()))) {
      lastStamp = Math.max(lastStamp, incoming.maxStamp());
    }
    if (incoming instanceof Crdt.OrSet s) {
      String mine = ctx.id() + ":";
      s.dots().values().forEach(dots -> dots.forEach(dot -> {
        if (dot.startsWith(mine)) lastDot = Math.max(lastDot, Long.parseLong(dot.substring(mine.length())));
      }));
    }
    if (next.equals(current)) return false;
    state.put(key, next);
    return true;
  }

  /**
   * Appends {@code change} for the key: its whole state after a merge, or, for a client's update,
   * just the update as a state of its own (one element, one dot, one total), which replaying by
   * merge joins back in. A set's every add logging the whole set would grow the log with the
   * square of its size.
   */
  private void log(String key, Crdt change) {
    byte[] record = GossipCodec.record(key, change);
    ctx.storage().append(record);
    logRecords++;
    logBytes += record.length;
  }

  private void compactIfDue() {
    boolean due = logRecords >= settings.compactEvery() || logBytes >= COMPACT_BYTES;
    if (!due || logRecords < 2 * state.size()) return;
    List<byte[]> records = new ArrayList<>();
    state.forEach((key, s) -> records.add(GossipCodec.record(key, s)));
    ctx.storage().rewrite(records);
    logRecords = records.size();
    logBytes = 0;
    for (byte[] record : records) logBytes += record.length;
  }

  @Override
  public void onClientRequest(Request request, Responder responder) {
    switch (request.f()) {
      case "status" -> responder.done(status());
      case "read" -> {
        Crdt s = state.get(request.key());
        Response answer = Response.done(s == null ? null : s.read());
        // The stamp of what was read: a write the client makes after this read goes after it.
        responder.reply(s instanceof Crdt.Register reg && settings.clock().learns() ? answer.withClock(reg.stamp()) : answer);
      }
      case "write", "add", "remove", "incr" -> {
        String refusal = refusal(request);
        if (refusal != null) {
          responder.notDone(refusal, null);
          return;
        }
        if (settings.has(GossipBug.EARLY_ACK)) {
          responder.done(null);
          ctx.schedule(settings.gossipInterval(), new Pending(request));
          return;
        }
        long stamp = apply(request);
        responder.reply(stamp > 0 ? Response.done(null).withClock(stamp) : Response.done(null));
      }
      case "cas" -> responder.notDone("gossip offers no compare-and-set: replicas take writes independently, so"
          + " there is no single current value to compare against", null);
      default -> responder.notDone(KvRequests.unknownOperation(request.f()), null);
    }
  }

  /** Why the update cannot be taken, or null: a value of the wrong shape, or a key of another kind. */
  private String refusal(Request request) {
    if (!(request.value() instanceof Number n) || n.doubleValue() != n.longValue()) {
      return request.f() + " needs a whole-number value, got " + request.value();
    }
    Crdt current = state.get(request.key());
    String kind = switch (request.f()) {
      case "write" -> "register";
      case "incr" -> "pn-counter";
      default -> settings.orSets() ? "or-set" : "g-set";
    };
    if (request.f().equals("remove") && !settings.orSets()) {
      return "a grow-only set has no remove; start the nodes with --set sets=or-set";
    }
    if (current != null && !current.kind().equals(kind)) {
      return "key " + request.key() + " holds a " + current.kind() + ", not a " + kind;
    }
    return null;
  }

  /**
   * Applies a client's update, logs the key's new state and syncs it; returns the write's stamp
   * for the client's causal clock, or 0 when there is none to give (CRDT updates, the wall clock).
   */
  private long apply(Request request) {
    String key = request.key();
    if (settings.clock().learns() && request.clock() != null) lastStamp = Math.max(lastStamp, request.clock());
    long value = ((Number) request.value()).longValue();
    Crdt current = state.get(key);
    long written = 0;
    // The update as a state of its own: joined into the key's state here, and logged as it is.
    Crdt change = switch (request.f()) {
      case "write" -> {
        long stamp = settings.clock().next(lastStamp, ctx.wallMillis());
        lastStamp = Math.max(lastStamp, stamp);
        if (settings.clock().learns()) written = stamp;
        yield new Crdt.Register(value, stamp, ctx.id());
      }
      case "incr" -> (current == null ? new Crdt.Counter(new TreeMap<>(), new TreeMap<>()) : (Crdt.Counter) current)
          .plus(ctx.id(), value).own(ctx.id());
      case "remove" -> (current == null ? new Crdt.OrSet(new TreeMap<>(), new TreeSet<>()) : (Crdt.OrSet) current)
          .minus(value).tombstonesOf(value, current);
      default -> settings.orSets()
          ? new Crdt.OrSet(new TreeMap<>(), new TreeSet<>()).plus(value, ctx.id() + ":" + (++lastDot))
          : new Crdt.GSet(new TreeSet<>()).plus(value);
    };
    // Joined as any merge would: a write's register replaces the key's state only if it wins. The
    // planted bad merge is gossip's; a client's own update is joined faithfully, as before it was
    // logged as a change, except for the register's tie, which is where that bug shows on one node.
    boolean faithful = !(settings.has(GossipBug.BAD_MERGE) && change instanceof Crdt.Register);
    Crdt next = current == null ? change : current.merge(change, faithful);
    state.put(key, next);
    log(key, change);
    ctx.storage().sync();
    compactIfDue();
    return written;
  }

  private Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("id", ctx.id());
    status.put("role", "replica");
    status.put("keys", (long) state.size());
    status.put("clock", settings.clock().wireName);
    return status;
  }
}
