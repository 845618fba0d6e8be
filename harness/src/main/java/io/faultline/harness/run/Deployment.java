package io.faultline.harness.run;

import io.faultline.nemesis.Fabric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of node on one kind of runtime, as the controller sees it (Jepsen's {@code DB}): start
 * the cluster, say where clients reach it, hand the nemesis its {@link Fabric}, find the leader,
 * collect logs, tear it all down.
 *
 * <p>Contract. {@link #start} returns once every node answers, or throws {@link
 * NodeStartException} naming the node and quoting its log. {@link #close} is idempotent, safe from
 * a shutdown hook, and leaves nothing running: no node process, no proxy, no temporary file.
 */
interface Deployment extends AutoCloseable {

  List<String> nodes();

  /** Each node's client address, {@code host:port}, by node id. */
  Map<String, String> clientAddresses();

  void start() throws NodeStartException;

  Fabric fabric();

  /** The leader as the nodes report it now, if they agree on one; never blocks for long. */
  Optional<String> leader();

  /** Waits up to {@code timeout} for a leader; empty when none emerged. */
  Optional<String> awaitLeader(Duration timeout);

  /** Each node's log file, by node id. */
  Map<String, Path> logFiles();

  /** Each node's data directory, by node id, kept in the store when a run fails its check. */
  Map<String, Path> dataDirs();

  @Override
  void close();

  /** A node that did not come up; the message names it and ends with the tail of its log. */
  final class NodeStartException extends Exception {
    NodeStartException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
