/**
 * The register workload: read, write and compare-and-set over a few independent keys, checked for
 * linearizability per key against a compare-and-set register that starts empty.
 */
package io.faultline.workloads.register;
