/**
 * The conformance kit: {@link io.faultline.harness.conformance.ConformanceTest}, which any bundled
 * target's test extends to be run in the simulator under every fault with every workload it
 * serves. Unit tests of a protocol's node code get the virtual-time cluster and disks of {@code
 * io.faultline.targets.sim} in the targets module.
 */
package io.faultline.harness.conformance;
