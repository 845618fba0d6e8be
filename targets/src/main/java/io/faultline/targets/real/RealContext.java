package io.faultline.targets.real;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.MessageCodec;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.Storage;
import io.faultline.targets.node.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A node's context in a real process: the system clocks, a seeded random source, the log file,
 * TCP and the event loop's timers.
 *
 * <p>Contract: every method is called from the event loop's thread (node callbacks run nowhere
 * else), and none blocks except {@link Storage#sync}.
 */
final class RealContext implements NodeContext {
  private final String id;
  private final List<String> members;
  private final Random random;
  private final Storage storage;
  private final MessageCodec codec;
  private final TcpTransport transport;
  private final EventLoop loop;
  private final NodeLog log;
  private final Node node;

  RealContext(String id, List<String> members, long seed, Storage storage, MessageCodec codec,
      TcpTransport transport, EventLoop loop, NodeLog log, Node node) {
    this.id = id;
    this.members = List.copyOf(members);
    this.random = new Random(seed);
    this.storage = storage;
    this.codec = codec;
    this.transport = transport;
    this.loop = loop;
    this.log = log;
    this.node = node;
  }

  @Override public String id() {
    return id;
  }

  @Override public List<String> members() {
    return members;
  }

  /** The system's wall clock, so that libfaketime can skew it per process. */
  @Override public long wallMillis() {
    return System.currentTimeMillis();
  }

  @Override public long monotonicNanos() {
    return System.nanoTime();
  }

  @Override public Random random() {
    return random;
  }

  @Override public Storage storage() {
    return storage;
  }

  @Override public void send(String to, Message message) {
    if (to.equals(id)) return;
    transport.send(to, codec.encode(message));
  }

  @Override public Timer schedule(Duration after, Object tag) {
    return loop.schedule(after, tag, node::onTimer);
  }

  @Override public void log(String line) {
    log.node(line);
  }
}
