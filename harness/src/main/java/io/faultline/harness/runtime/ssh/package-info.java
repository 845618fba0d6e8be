/**
 * The ssh runtime: one bundled node on each SSH host, through sshj, with iptables on the hosts for
 * partitions and loss and libfaketime there for clocks.
 */
package io.faultline.harness.runtime.ssh;
