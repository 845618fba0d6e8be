package io.faultline.harness.runtime.conformance;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.NodeFactory;
import io.faultline.targets.node.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node the runtime conformance suite deploys: it pings every peer every {@value #PING_MS} ms
 * and says, at {@code status}, how long ago it last heard from each ({@code heard-ms-ago}, -1 for
 * never since it booted), how many times it has booted on its data ({@code boots}, one durable
 * record per boot), and its wall clock ({@code wall-ms}). Those three are what a runtime's faults
 * must change: a partition or a total loss silences a peer, a kill and a start add a boot and keep
 * the earlier ones, a pause silences the node itself, a clock offset moves its wall clock. A
 * {@code read} answers the same, since a client's ok read carries the node's answer back.
 */
public final class ProbeNodeFactory implements NodeFactory {
  static final long PING_MS = 50;

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
    if (!bugs.isEmpty() || !settings.isEmpty()) throw new IllegalArgumentException("the probe takes no bugs or settings");
    return new ProbeNode();
  }

  @Override
  public MessageCodec codec() {
    return new MessageCodec() {
      @Override
      public byte[] encode(Message message) {
        return "ping".getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public Message decode(byte[] bytes) {
        if (!"ping".equals(new String(bytes, StandardCharsets.UTF_8))) throw new IllegalArgumentException("not a ping");
        return new Ping();
      }
    };
  }

  record Ping() implements Message {}

  static final class ProbeNode implements Node {
    private NodeContext ctx;
    private final Map<String, Long> heardNanos = new LinkedHashMap<>();
    private int boots;

    @Override
    public void start(NodeContext context) {
      ctx = context;
      heardNanos.clear();
      boots = ctx.storage().readAll().size() + 1;
      ctx.storage().append("boot".getBytes(StandardCharsets.UTF_8));
      ctx.storage().sync();
      ping();
    }

    private void ping() {
      for (String peer : ctx.members()) if (!peer.equals(ctx.id())) ctx.send(peer, new Ping());
      ctx.schedule(Duration.ofMillis(PING_MS), "ping");
    }

    @Override
    public void onMessage(String from, Message message) {
      if (message instanceof Ping) heardNanos.put(from, ctx.monotonicNanos());
    }

    @Override
    public void onTimer(Timer timer) {
      if ("ping".equals(timer.tag())) ping();
    }

    @Override
    public void onClientRequest(Request request, Responder responder) {
      if (!request.f().equals("status") && !request.f().equals("read")) {
        responder.notDone("the probe answers status and read, both with its status", null);
        return;
      }
      Map<String, Object> heard = new LinkedHashMap<>();
      for (String peer : ctx.members()) {
        if (peer.equals(ctx.id())) continue;
        Long at = heardNanos.get(peer);
        heard.put(peer, at == null ? -1L : (ctx.monotonicNanos() - at) / 1_000_000);
      }
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("id", ctx.id());
      status.put("role", "probe");
      status.put("boots", (long) boots);
      status.put("wall-ms", ctx.wallMillis());
      status.put("heard-ms-ago", heard);
      responder.done(status);
    }
  }
}
