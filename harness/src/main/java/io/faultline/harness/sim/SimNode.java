package io.faultline.harness.sim;

import io.faultline.targets.node.Node;
import java.util.ArrayDeque;

/**
 * One node's machine: what survives its crashes (storage, log, clock offset, monotonic origin) and
 * the incarnation running on it, if any. Every delivery to a node names the incarnation it is for,
 * so a message or timer meant for a process that has since crashed is never handed to its successor.
 */
final class SimNode {
  final String id;
  final int index;
  final SimStorage storage = new SimStorage();
  final NodeLog log = new NodeLog();
  /** Added to virtual time for {@code monotonicNanos}: nodes do not share an origin, as real hosts do not. */
  final long monotonicOrigin;

  long clockOffsetMillis;
  /** Counts starts: 1 for the first process, 2 after the first restart, and so on; 0 before any. */
  int incarnation;
  Node node;
  boolean up;
  boolean paused;
  /** Deliveries that arrived while paused, in arrival order. */
  final ArrayDeque<Runnable> held = new ArrayDeque<>();

  SimNode(String id, int index, long monotonicOrigin) {
    this.id = id;
    this.index = index;
    this.monotonicOrigin = monotonicOrigin;
  }

  boolean runs(int inc) {
    return up && incarnation == inc;
  }
}
