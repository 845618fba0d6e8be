/**
 * The linearizability checker: just-in-time linearization with memoisation, split per key and run in
 * parallel, answering unknown rather than running past its time or memory budget, and explaining a
 * false verdict with a {@link io.faultline.checkers.linear.Counterexample}.
 */
package io.faultline.checkers.linear;
