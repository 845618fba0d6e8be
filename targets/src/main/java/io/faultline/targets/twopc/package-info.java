/**
 * The bundled sharded key/value store with two-phase commit ({@code --target twopc}): the key space
 * split by hash or by ranges, one shard per node with its write-ahead log and no-wait locks, every
 * node a coordinator with a durable decision log, presumed abort, recovery of in-doubt participants
 * by asking the coordinator. The planted bugs are in {@link io.faultline.targets.twopc.TwoPcBug}.
 */
package io.faultline.targets.twopc;
