/**
 * The controller: a test as one value ({@link io.faultline.harness.run.TestSpec}), checked before
 * anything starts ({@link io.faultline.harness.run.Preflight}), run by one lifecycle on every
 * runtime ({@link io.faultline.harness.run.Runner}: deploy, wait for a leader, workload and nemesis,
 * heal, recovery, final reads, check, store), the generator interpreter it drives workers with
 * ({@code Interpreter}), the history as it is recorded ({@link io.faultline.harness.run.HistoryLog}),
 * the verdict and the store's files ({@link io.faultline.harness.run.Outcome}), and sweeps of seeds
 * on a deterministic runtime ({@link io.faultline.harness.run.Sweep}).
 */
package io.faultline.harness.run;
