/**
 * The bundled gossip store, {@code --target gossip}: every node takes reads and writes at all
 * times (AP), replicates by push-pull anti-entropy with random peers that exchange digests first
 * and then only what differs, and resolves conflicts by last-writer-wins on wall-clock, Lamport or
 * hybrid logical clocks, or by state-based CRDTs (grow-only and observed-remove sets, a PN-counter).
 */
package io.faultline.targets.gossip;
