/**
 * The real binding of the node runtime: runs one {@link io.faultline.targets.node.Node} as an
 * operating-system process, with an event-loop thread, TCP between nodes, a write-ahead log file
 * with fdatasync, the system clocks, and the HTTP client protocol. {@link
 * io.faultline.targets.real.NodeMain} is the entry point of {@code faultline-node.jar}.
 *
 * <p>This is the only package of the targets module allowed threads, clocks and unseeded
 * randomness; the determinism rule checks every other one.
 */
package io.faultline.targets.real;
