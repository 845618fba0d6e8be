/**
 * The BASE workloads, for stores that promise availability and convergence rather than
 * linearizability: last-writer-wins registers, grow-only and observed-remove sets, PN-counters.
 * Each sends every operation to a node it names, so a history says which replica answered, and
 * ends by polling every node for every key until they agree, so convergence can be timed.
 */
package io.faultline.workloads.base;
