/**
 * The deterministic simulator behind {@code faultline sim}: a cluster of a bundled protocol's nodes,
 * their clients and a nemesis, all in one thread on virtual time, every choice drawn from one seed.
 * The same seed gives the same history, byte for byte, which is what makes a failing seed a
 * reproduction rather than an anecdote.
 *
 * <p>Entry points: {@link io.faultline.harness.sim.Simulation#run} for one seed, {@link
 * io.faultline.harness.sim.Sweep} for many, {@link io.faultline.harness.sim.SimStore} to keep a
 * seed's history, counterexample and node logs, {@link io.faultline.harness.sim.Targets} to find a
 * protocol by name.
 */
package io.faultline.harness.sim;
