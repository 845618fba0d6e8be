/**
 * The netns runtime: the local runtime's node processes, each in a Linux network namespace of its
 * own on a bridge in a switch namespace, with partitions and loss as iptables rules. Root only.
 */
package io.faultline.harness.runtime.netns;
