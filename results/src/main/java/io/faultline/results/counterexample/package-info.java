/**
 * Draws a linearizability counterexample for people: one self-contained HTML page (inline SVG and
 * CSS, a few lines of script for zoom, nothing fetched from the network) that shows, per failing
 * key, the operations around the failure in one lane per process, the partial linearization with
 * the model state after each step, the operation that cannot be linearized, and why the open
 * operations could not follow.
 *
 * <p>The only public entry point is {@link io.faultline.results.counterexample.CounterexamplePage};
 * everything else is an internal of the drawing and may change freely.
 */
package io.faultline.results.counterexample;
