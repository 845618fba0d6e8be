package io.faultline.targets.raft;

import io.faultline.targets.kv.KvStore;

import io.faultline.targets.node.Observation;
import io.faultline.targets.raft.RaftNode.Role;

/**
 * Snapshots and log compaction (Raft §7): every replica snapshots its state machine once {@code
 * snapshot-every} entries were applied since the last one, and rewrites its storage to the
 * snapshot, the hard state and the entries after it; a leader sends its snapshot in one
 * InstallSnapshot to a follower that needs entries it has compacted away.
 *
 * <p>Contract: a snapshot only ever covers applied, hence committed, entries, so it is the same on
 * every replica that has one at that index; a follower that already has everything a snapshot
 * covers keeps its own log and state.
 */
final class Snapshots {
  private final RaftNode raft;

  Snapshots(RaftNode raft) {
    this.raft = raft;
  }

  /** Called after entries were applied. */
  void takeIfDue() {
    if (raft.lastApplied - raft.log.snapshotIndex() >= raft.settings.snapshotEvery()) {
      take();
    }
  }

  private void take() {
    long index = raft.lastApplied;
    long snapTerm = raft.log.term(index);
    raft.snapshotState = raft.kv.image();
    raft.log.compact(index, snapTerm);
    raft.rewriteStorage();
    raft.ctx.log("raft: snapshot at index " + index + " (term " + snapTerm + "), " + raft.kv.size() + " keys");
    raft.ctx.observe(Observation.of(Observation.SNAPSHOT, snapTerm, index));
    raft.ctx.observe(new Observation(Observation.STATE, snapTerm, index, raft.kv.digest()));
  }

  // ---------------------------------------------------------------- leader

  /** Sends {@code peer} this leader's snapshot; the entries after it follow its acknowledgement. */
  void send(String peer, Progress p) {
    raft.ctx.send(peer, new InstallSnapshot(raft.term, raft.id, raft.log.snapshotIndex(),
        raft.log.snapshotTerm(), raft.snapshotState, raft.reads.round()));
    p.probing = true; // the rest follows its acknowledgement
  }

  void onInstallSnapshotResponse(String from, InstallSnapshotResponse m) {
    if (m.term() > raft.term) {
      raft.election.becomeFollower(m.term(), null);
      return;
    }
    Progress p = raft.replication.progressOf(from);
    if (raft.role != Role.LEADER || m.term() < raft.term || p == null) {
      return;
    }
    raft.replication.heard(p, m.round());
    p.matchIndex = Math.max(p.matchIndex, Math.min(m.lastIncludedIndex(), raft.log.lastIndex()));
    p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
    p.probing = false;
    raft.replication.advanceCommit();
    if (raft.role == Role.LEADER) {
      raft.replication.sendAppends(from, p, false);
    }
  }

  // ---------------------------------------------------------------- follower

  void onInstallSnapshot(String from, InstallSnapshot m) {
    if (m.term() < raft.term) {
      raft.ctx.send(from, new InstallSnapshotResponse(raft.term, 0, m.round()));
      return;
    }
    if (raft.role == Role.LEADER && m.term() == raft.term) {
      assert raft.settings.invariantsMayBreak() : "two leaders in term " + raft.term + ": " + raft.id + " and " + from;
      return;
    }
    raft.election.heardFromLeader(m.term(), m.leader());
    long index = m.lastIncludedIndex();
    if (index <= raft.commitIndex) {
      // Already have all of it (committed entries are the same everywhere). Never claim more than
      // the log holds: only a planted bug could make the two differ.
      raft.ctx.send(from, new InstallSnapshotResponse(raft.term, Math.min(index, raft.log.lastIndex()), m.round()));
      return;
    }
    if (raft.log.term(index) == m.lastIncludedTerm()) {
      raft.log.compact(index, m.lastIncludedTerm()); // what follows may still be good: keep it
    } else {
      raft.log.reset(index, m.lastIncludedTerm());
    }
    raft.snapshotState = m.state();
    raft.kv = new KvStore(raft.snapshotState);
    raft.commitIndex = index;
    raft.lastApplied = index;
    raft.rewriteStorage();
    raft.ctx.log("raft: installed snapshot at index " + index + " (term " + m.lastIncludedTerm() + ") from " + from);
    raft.ctx.observe(Observation.of(Observation.INSTALL, m.lastIncludedTerm(), index));
    raft.ctx.observe(new Observation(Observation.STATE, m.lastIncludedTerm(), index, raft.kv.digest()));
    raft.ctx.send(from, new InstallSnapshotResponse(raft.term, index, m.round()));
  }
}
