/** Workloads: generators, clients and the checkers each workload needs. */
package io.faultline.workloads;
