package io.faultline.harness.runtime;

import io.faultline.nemesis.Fabric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import io.faultline.targets.node.Observation;

/**
 * One run's nodes on one runtime, as the controller drives them: start them, fault them through
 * {@link #fabric()}, open one client per worker, find the leader, keep their logs, take it all
 * down. Every call is made on the run's {@link Loop} thread unless it says otherwise.
 *
 * <p>Contract. {@link #start} returns once every node answers, or throws {@link
 * NodeStartException} naming the node and quoting its log. {@link #leader} never blocks for long.
 * {@link #close} is idempotent, safe from a shutdown hook on another thread, and leaves nothing
 * running: no node process, no proxy, no temporary file.
 */
public interface Cluster extends AutoCloseable {

  /** The node ids, in the cluster's order. */
  List<String> nodes();

  /** The run's time and its one event thread. */
  Loop loop();

  /** Starts every node and returns once each answers. */
  void start() throws NodeStartException;

  /** What the nemesis may do to this cluster; it says what it cannot. */
  Fabric fabric();

  /** The leader, if the nodes say there is one now. */
  Optional<String> leader();

  /** A client for worker {@code worker}; its completions may arrive on any thread. */
  AsyncClient client(int worker);

  /**
   * Errors the nodes raised about themselves that the runtime could see (a virtual node that
   * threw or failed an assertion); one line each. Real processes report theirs in their logs.
   */
  List<String> nodeErrors();

  /**
   * Tells {@code listener} of every protocol event a node reports ({@link Observation}), with the
   * node's id, on the loop thread while the node runs. A runtime that cannot see inside its nodes
   * (real processes) never calls it.
   */
  default void observe(BiConsumer<String, Observation> listener) {}

  /**
   * Writes each node's log to {@code nodesDir/<node>/node.log} and, with {@code data}, its data
   * directory to {@code nodesDir/<node>/data/}.
   */
  void collect(Path nodesDir, boolean data) throws IOException;

  @Override
  void close();
}
