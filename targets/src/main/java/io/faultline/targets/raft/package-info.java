/**
 * The bundled Raft key/value node ({@code --target raft}): leader election with pre-vote and
 * check-quorum, batched and pipelined log replication with group commit, linearizable reads by
 * ReadIndex or an optional leader lease, snapshots with log compaction and InstallSnapshot, and
 * recovery from its own storage records. It runs unchanged as a real process and in the simulator,
 * because it acts only through its {@link io.faultline.targets.node.NodeContext}.
 *
 * <p>Client requests: {@code read}, {@code write}, {@code cas}, {@code add} (to a grow-only set of
 * numbers held at a key) and {@code status}. Choices that
 * decide what a client may conclude:
 *
 * <ul>
 *   <li>A follower or candidate does not forward a request to the leader; it answers not-done with
 *       the leader's id (or null when unknown). Forwarding would turn a lost forward into an
 *       indeterminate operation; a definite "not done" lets the client retry at the leader knowing
 *       nothing happened.
 *   <li>A leader that loses leadership answers its pending writes and cas operations unknown
 *       ("leadership lost"): their entries may still commit under the next leader. Its pending
 *       reads are answered not-done, because a read changes nothing and now never will.
 *   <li>A cas whose expected value does not match is committed like any entry but changes nothing,
 *       so it is answered not-done ("cas mismatch ..."). So is a write or cas on a key that holds a
 *       set, and an add to a key that holds a number: whether the key holds one or the other is
 *       only known once the entry is applied, in log order.
 * </ul>
 *
 * <p>Where the code is: {@link io.faultline.targets.raft.RaftNode} is the node's shell (shared
 * state, start and recovery, dispatch, persistence); {@code Election}, {@code Replication}, {@code
 * Snapshots} and {@code Reads} are the protocol's parts, by the names Raft's papers give them;
 * {@code Records} is the storage format, {@code RaftCodec} and {@code Wire} the bytes of messages
 * and records.
 *
 * <p>Planted bugs ({@link io.faultline.targets.raft.RaftBug}) break one guarantee each, so that the
 * harness can prove it notices.
 */
package io.faultline.targets.raft;
