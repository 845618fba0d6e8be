/**
 * The client seam and the bundled targets' wire mapping. A {@link io.faultline.workloads.client.Client}
 * turns an invocation into a completion that is ok, fail or info and never anything else; {@link
 * io.faultline.workloads.client.TargetWire} says how an invocation becomes a client-protocol request,
 * how a node's answer becomes a completion, and when to follow a leader hint, for any transport;
 * {@link io.faultline.workloads.client.HttpTargetClient} is that mapping over real HTTP. {@link
 * io.faultline.workloads.client.Routing} chooses, per worker, the node each operation goes to first.
 */
package io.faultline.workloads.client;
