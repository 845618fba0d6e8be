/**
 * The node seam: a replica is a deterministic, single-threaded event handler ({@link
 * io.faultline.targets.node.Node}) that acts only through its {@link
 * io.faultline.targets.node.NodeContext}. The same node runs in a real process and in the
 * simulator; nothing in this package knows which.
 */
package io.faultline.targets.node;
