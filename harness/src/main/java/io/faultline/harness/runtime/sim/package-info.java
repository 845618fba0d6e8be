/**
 * {@code --runtime sim}: the deterministic simulator as a runtime. A bundled target's nodes run on
 * the node seam's virtual binding ({@link io.faultline.targets.sim.VirtualCluster}); the network
 * ({@code Network}), the fault fabric ({@code SimFabric}), the workers' clients ({@code SimClient})
 * and the controller's loop ({@code VirtualLoop}) all run on its one virtual clock and draw from
 * the run's seed. The same test spec, workload, nemesis schedule and checkers as on every runtime.
 */
package io.faultline.harness.runtime.sim;
