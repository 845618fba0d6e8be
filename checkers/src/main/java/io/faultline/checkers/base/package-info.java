/**
 * The BASE checks, for stores that promise less than linearizability (an AP gossip store, any
 * eventually consistent target): whether every key converges once faults stop
 * ({@link io.faultline.checkers.base.ConvergenceChecker}), whether acknowledged writes survive in the
 * converged value ({@link io.faultline.checkers.base.LostWritesChecker}), and which of the four
 * session guarantees each client session saw ({@link io.faultline.checkers.base.SessionGuaranteesChecker}).
 *
 * <p>They read the histories of the lww-register, g-set, or-set and pn-counter workloads
 * ({@link io.faultline.checkers.base.DataType}): every client operation carries a key and the node it
 * was sent to, and after the final heal the workload polls every node for every key. Reads are
 * compared by the data type's meaning: sets as sets (nil is empty), counters as numbers (nil is 0).
 */
package io.faultline.checkers.base;
