/**
 * The runtime seam: where a test's nodes run ({@link io.faultline.harness.runtime.Runtime}), one
 * run's cluster on it ({@link io.faultline.harness.runtime.Cluster}), the clock and event thread
 * the controller's logic runs on ({@link io.faultline.harness.runtime.Loop}), and a worker's way to
 * the system ({@link io.faultline.harness.runtime.AsyncClient}). Implementations: {@code local}
 * (child processes) and {@code sim} (the deterministic simulator).
 */
package io.faultline.harness.runtime;
