/**
 * The nemesis: the kinds of fault, the partition shapes ({@link io.faultline.nemesis.Grudges}), a
 * fault schedule drawn from the run's seed before the run starts ({@link
 * io.faultline.nemesis.NemesisSchedule}), the {@link io.faultline.nemesis.Nemesis} that applies its
 * steps and undoes every fault at the end, and the {@link io.faultline.nemesis.Fabric} seam through
 * which a runtime applies faults to its nodes. Every fault start and stop becomes an {@code info}
 * operation of process {@code nemesis} in the history. The schedule is a value so that a rerun with
 * the same seed replays the same faults; only who leads is left to the moment a step is applied.
 */
package io.faultline.nemesis;
