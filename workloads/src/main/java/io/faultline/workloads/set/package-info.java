/**
 * The set workload: unique adds to one grow-only set, reads now and then, a final read from every
 * node, checked by Jepsen's set-full analysis for a linearizable set.
 */
package io.faultline.workloads.set;
