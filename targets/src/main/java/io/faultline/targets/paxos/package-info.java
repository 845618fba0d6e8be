/**
 * The bundled Multi-Paxos key/value store ({@code --target paxos}): a stable leader chosen by
 * ballots, phase 1 once per takeover for every open slot and phase 2 per slot, acceptors that sync
 * promises and accepted values before they answer, learners that catch up from the leader,
 * checkpoints, and reads through the log or under a leader lease. The key/value state machine and
 * the client protocol are Raft's ({@code io.faultline.targets.kv}); the planted bugs are in {@link
 * io.faultline.targets.paxos.PaxosBug}.
 */
package io.faultline.targets.paxos;
