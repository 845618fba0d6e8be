/**
 * An optional bridge to Jepsen's Knossos linearizability checker:
 * {@link io.faultline.checkers.knossos.KnossosChecker} runs {@code knossos.competition/analysis} on a
 * Faultline history through the Clojure runtime the checkers already carry, for a second opinion on
 * Faultline's own {@link io.faultline.checkers.linear.LinearizabilityChecker} or to reproduce a
 * verdict Jepsen gave.
 *
 * <p>Knossos is not a dependency: it is published on Clojars, not Maven Central, and Faultline must
 * build without it. The user supplies a Knossos uberjar (or puts Knossos on the classpath); without
 * one, {@link io.faultline.checkers.knossos.KnossosUnavailableException} says how to get one.
 * Nothing else in Faultline depends on this package.
 *
 * <p>Knossos applies Jepsen's semantics: an {@code ok} read of {@code nil} matches any value, failed
 * operations are dropped, and only client processes take part. Where Faultline's own checker is
 * configured differently (for example nil reads meaning absent), the two may rightly disagree.
 */
package io.faultline.checkers.knossos;
