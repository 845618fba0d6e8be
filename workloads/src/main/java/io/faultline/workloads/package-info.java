/**
 * Workloads: what clients do to a system under test and how to judge what they saw. A {@link
 * io.faultline.workloads.Workload} bundles a generator of operations, the operations for after the
 * faults have healed, and the checker of the history. Nothing here knows about a transport: the
 * simulator and the controller of real processes drive the same workload. Each workload is a
 * {@link java.util.ServiceLoader} service ({@code META-INF/services/io.faultline.workloads.Workload})
 * with a public no-argument constructor for its standard form, which the harness finds by name.
 */
package io.faultline.workloads;
