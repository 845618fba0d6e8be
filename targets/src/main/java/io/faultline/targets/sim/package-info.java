/**
 * The node seam's virtual binding: a bundled target's nodes on virtual machines ({@link
 * io.faultline.targets.sim.VirtualCluster}), virtual time ({@link io.faultline.targets.sim.Scheduler}),
 * disks that crash as real ones may ({@link io.faultline.targets.sim.VirtualStorage}) and a network
 * whose every choice is the caller's ({@link io.faultline.targets.sim.Links}). The harness's
 * simulator runtime and the targets' own unit tests both run nodes on it, so the node code they
 * test is exercised the same way; {@link io.faultline.targets.sim.Seeds} splits one seed into
 * independent streams.
 *
 * <p>{@link io.faultline.targets.sim.ScriptedCluster} is the unit tests' kit on top, for any target:
 * a network set by hand ({@link io.faultline.targets.sim.ScriptedLinks}), messages held and
 * delivered one by one, crashes that keep a chosen number of unsynced records, and client requests
 * answered into a {@link io.faultline.targets.sim.Reply}.
 */
package io.faultline.targets.sim;
