package io.faultline.harness.runtime.sim;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.Timer;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A register store with one fixed leader (the first member), for testing the simulator without
 * Raft. The leader applies every operation, logs it to storage and syncs before it answers, so it
 * is linearizable (and unavailable while the leader is down). It pushes snapshots of its state to
 * the followers on every write and on a jittered timer.
 *
 * <p>Planted bugs: {@code local-read}, followers answer reads from their possibly stale copy;
 * {@code no-sync}, the leader answers before its write is durable; {@code mute}, the leader stops
 * answering for good after {@value #MUTE_AFTER} requests; {@code throw}, the leader throws on its
 * 20th request; {@code assert}, the leader fails an assertion on its 20th request (seen only with
 * assertions on); {@code deaf}, the leader answers its status and nothing else, ever.
 */
public final class ToyNodeFactory implements NodeFactory {
  static final int MUTE_AFTER = 40;

  @Override
  public String name() {
    return "toy";
  }

  @Override
  public List<String> bugs() {
    return List.of("local-read", "no-sync", "mute", "throw", "assert", "deaf");
  }

  @Override
  public Node newNode(Set<String> bugs, Map<String, String> settings) {
    for (String b : bugs) if (!bugs().contains(b)) throw new IllegalArgumentException("unknown bug " + b);
    if (!settings.isEmpty()) throw new IllegalArgumentException("unknown settings " + settings.keySet());
    return new ToyNode(bugs);
  }

  @Override
  public MessageCodec codec() {
    return new MessageCodec() {
      @Override
      public byte[] encode(Message message) {
        throw new UnsupportedOperationException("the toy runs only in the simulator");
      }

      @Override
      public Message decode(byte[] bytes) {
        throw new UnsupportedOperationException("the toy runs only in the simulator");
      }
    };
  }

  record Snapshot(long version, TreeMap<String, Long> values) implements Message {}

  static final class ToyNode implements Node {
    private final Set<String> bugs;
    private NodeContext ctx;
    private String leader;
    private long version;
    private TreeMap<String, Long> values = new TreeMap<>();
    private int requests;
    private boolean muted;

    ToyNode(Set<String> bugs) {
      this.bugs = bugs;
    }

    private boolean isLeader() {
      return ctx.id().equals(leader);
    }

    @Override
    public void start(NodeContext context) {
      ctx = context;
      leader = ctx.members().get(0);
      for (byte[] record : ctx.storage().readAll()) {
        String line = new String(record, StandardCharsets.UTF_8);
        if (line.equals("mute")) {
          muted = true;
        } else {
          int eq = line.indexOf('=');
          values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
          version++;
        }
      }
      ctx.log("recovered " + values + " at version " + version);
      if (isLeader()) tick();
    }

    private void tick() {
      broadcast();
      ctx.schedule(Duration.ofMillis(20 + ctx.random().nextInt(20)), "tick");
    }

    private void broadcast() {
      Snapshot s = new Snapshot(version, new TreeMap<>(values));
      for (String m : ctx.members()) if (!m.equals(ctx.id())) ctx.send(m, s);
    }

    @Override
    public void onMessage(String from, Message message) {
      if (message instanceof Snapshot s && !isLeader() && s.version() > version) {
        version = s.version();
        values = new TreeMap<>(s.values());
      }
    }

    @Override
    public void onTimer(Timer timer) {
      if ("tick".equals(timer.tag())) tick();
    }

    @Override
    public void onClientRequest(Request request, Responder responder) {
      if (request.f().equals("status")) {
        responder.done(Map.of("role", isLeader() ? "leader" : "follower", "term", 1L));
        return;
      }
      if (!isLeader()) {
        if (request.f().equals("read") && bugs.contains("local-read")) {
          responder.done(values.get(request.key()));
        } else {
          responder.notDone("not leader", leader);
        }
        return;
      }
      if (muted || bugs.contains("deaf")) return;
      requests++;
      if (bugs.contains("throw") && requests == 20) throw new IllegalStateException("planted failure");
      assert !(bugs.contains("assert") && requests == 20) : "planted invariant";
      if (bugs.contains("mute") && requests >= MUTE_AFTER) {
        muted = true;
        ctx.storage().append("mute".getBytes(StandardCharsets.UTF_8));
        ctx.storage().sync();
        return;
      }
      Long current = values.get(request.key());
      switch (request.f()) {
        case "read" -> responder.done(current);
        case "write" -> {
          apply(request.key(), ((Number) request.value()).longValue());
          responder.done(null);
        }
        case "cas" -> {
          List<?> pair = (List<?>) request.value();
          long expected = ((Number) pair.get(0)).longValue();
          if (!Objects.equals(current, expected)) {
            responder.notDone("cas mismatch", null);
          } else {
            apply(request.key(), ((Number) pair.get(1)).longValue());
            responder.done(null);
          }
        }
        default -> responder.notDone("unknown function " + request.f(), null);
      }
    }

    private void apply(String key, long value) {
      values.put(key, value);
      version++;
      ctx.storage().append((key + "=" + value).getBytes(StandardCharsets.UTF_8));
      if (!bugs.contains("no-sync")) ctx.storage().sync();
      broadcast();
    }
  }
}
