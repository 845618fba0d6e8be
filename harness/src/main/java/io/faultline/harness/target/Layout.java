package io.faultline.harness.target;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a runtime put a cluster's nodes, as a target needs to know it to start a node and to reach
 * one: addresses, ports, data directories, and where the JVM and the bundled node code are on each
 * host. A runtime makes one per run; every method answers at once.
 */
public interface Layout {

  /** The node ids, in the cluster's order. */
  List<String> nodes();

  /** The address clients (and the controller's queries) reach {@code node} at, {@code host:port}. */
  String clientAddress(String node);

  /** The port {@code node} serves clients on, on its own host. */
  int clientPort(String node);

  /** The address {@code node} listens on for the other nodes, {@code host:port}. */
  String listenAddress(String node);

  /**
   * The host address every port of {@code node} must listen on, on its own host: loopback where
   * only that host reaches it (the local runtime, so that a test never exposes a planted bug to the
   * network), {@code 0.0.0.0} where other hosts must (a container, a remote machine).
   */
  String bindAddress(String node);

  /**
   * The address {@code from} uses to reach {@code to}, {@code host:port}: {@code to}'s listen
   * address, or a runtime's proxy in between. For {@code from} itself, its listen address.
   */
  String peerAddress(String from, String to);

  /** The node's data directory on its host, kept across restarts. */
  Path dataDir(String node);

  /** The {@code java} command on the node's host. */
  String java(String node);

  /** The class path on the node's host that holds the bundled node code. */
  String classPath(String node);
}
