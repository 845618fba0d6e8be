package io.faultline.targets.raft;

import io.faultline.targets.kv.Command;
import io.faultline.targets.kv.KvStore;

import io.faultline.targets.node.Observation;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.node.Timer;
import io.faultline.targets.raft.RaftNode.Role;
import io.faultline.targets.raft.RaftNode.TimerKind;
import io.faultline.targets.raft.RaftNode.TimerTag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The log: a leader's proposals, AppendEntries both ways (Raft §5.3), batched and pipelined, group
 * commit, commit by a durable majority (§5.4.2) and applying committed entries to the state machine.
 *
 * <p>Group commit: what arrives in one turn of the event loop (a leader's client entries, a
 * follower's AppendEntries) is appended to storage at once, and synced, sent and acknowledged
 * together by one zero-delay flush timer, which runs after the events already queued. The
 * durability rules of {@link RaftNode} hold across it: a follower's answers wait for the flush's
 * sync, and a leader counts itself only up to {@link RaftNode#syncedIndex}.
 */
final class Replication {
  /** How many batches a leader sends ahead of a follower's acknowledgements. */
  private static final int PIPELINE_BATCHES = 4;

  /** An acknowledgement held back until the sync that makes what it claims durable. */
  private record PendingAck(String to, AppendEntriesResponse response, long matchTerm) {}

  private record PendingWrite(long term, Responder responder) {}

  private final RaftNode raft;

  private TimerTag flushTag;
  private final List<PendingAck> pendingAcks = new ArrayList<>();

  // Leader state.
  private Timer heartbeatTimer;
  private TimerTag heartbeatTag;
  private final LinkedHashMap<String, Progress> progress = new LinkedHashMap<>();
  private long noopIndex;
  private final TreeMap<Long, PendingWrite> pendingWrites = new TreeMap<>();

  Replication(RaftNode raft) {
    this.raft = raft;
  }

  /** Forgets the timers, acknowledgements and leader state of an earlier incarnation. */
  void reset() {
    pendingAcks.clear();
    clearLeaderState();
    flushTag = null;
    heartbeatTimer = null;
    heartbeatTag = null;
  }

  void clearLeaderState() {
    progress.clear();
    pendingWrites.clear();
    noopIndex = 0;
  }

  /** The index of this term's no-op; 0 when not leading. */
  long noopIndex() {
    return noopIndex;
  }

  /** What this leader knows of {@code peer}; null when not leading. */
  Progress progressOf(String peer) {
    return progress.get(peer);
  }

  /** This leader's followers, in member order. */
  Collection<Progress> followers() {
    return progress.values();
  }

  // ---------------------------------------------------------------- leader: proposals

  void propose(Command command, Responder responder) {
    if (raft.role != Role.LEADER) {
      responder.notDone("not the leader", raft.leader);
      return;
    }
    Entry entry = new Entry(raft.log.lastIndex() + 1, raft.term, command);
    appendAsLeader(entry);
    pendingWrites.put(entry.index(), new PendingWrite(raft.term, responder));
  }

  /** Group commit: the entry goes to storage now, the sync and the broadcast at the next flush. */
  private void appendAsLeader(Entry entry) {
    raft.log.append(entry);
    raft.ctx.storage().append(Records.entries(List.of(entry)));
    raft.unsynced = true;
    scheduleFlush();
  }

  /**
   * Takes over as leader of the current term: every follower starts optimistic (nextIndex just past
   * this log) and counts as heard now; the no-op of this term goes in the log, and the first round
   * of confirmations and the heartbeat timer start.
   */
  void lead() {
    long now = raft.leaseNow();
    for (String peer : raft.peers) {
      progress.put(peer, new Progress(raft.log.lastIndex() + 1, now));
    }
    // Entries of earlier terms commit only under an entry of this one (Raft §5.4.2).
    Entry noop = new Entry(raft.log.lastIndex() + 1, raft.term, new Command.Noop());
    appendAsLeader(noop);
    noopIndex = noop.index();
    raft.reads.wantRound();
    scheduleHeartbeat();
  }

  /** Stops the heartbeat timer of a leader that steps down. */
  void stopHeartbeats() {
    if (heartbeatTimer != null) {
      heartbeatTimer.cancel();
    }
    heartbeatTimer = null;
    heartbeatTag = null;
  }

  /** Every pending write may still commit under another leader: it is unknown, not failed. */
  void answerPendingWritesUnknown(String why) {
    for (PendingWrite write : pendingWrites.values()) {
      write.responder().unknown(why);
    }
  }

  // ---------------------------------------------------------------- flush: group commit

  void scheduleFlush() {
    if (flushTag == null) {
      flushTag = raft.newTimerTag(TimerKind.FLUSH);
      raft.ctx.schedule(Duration.ZERO, flushTag); // never cancelled: a flush with nothing to do is harmless
    }
  }

  void onFlushTimer(TimerTag tag) {
    if (!tag.equals(flushTag)) {
      return;
    }
    flushTag = null;
    flush();
  }

  /**
   * Runs after the events that were already queued, so that everything that arrived together shares
   * one sync: a leader's client entries, a follower's AppendEntries.
   */
  private void flush() {
    if (raft.role == Role.LEADER) {
      boolean newRound = raft.reads.roundWanted();
      if (newRound) {
        raft.reads.startRound();
      }
      // Sent before the leader's own sync, which Raft allows: the leader counts itself only up to
      // its synced index, and followers sync before they acknowledge.
      for (Map.Entry<String, Progress> peer : progress.entrySet()) {
        sendAppends(peer.getKey(), peer.getValue(), newRound);
      }
    }
    if (raft.unsynced) {
      raft.syncStorage();
    }
    if (raft.role == Role.LEADER) {
      advanceCommit();
    }
    sendPendingAcks();
  }

  private void sendPendingAcks() {
    for (PendingAck ack : pendingAcks) {
      AppendEntriesResponse r = ack.response();
      // An acknowledgement computed in an older term, or for entries truncated since, would now
      // claim something false; drop it, the leader will ask again.
      boolean stillTrue = r.term() == raft.term
          && (!r.success() || r.matchIndex() <= raft.log.snapshotIndex()
              || raft.log.term(r.matchIndex()) == ack.matchTerm());
      if (stillTrue) {
        raft.ctx.send(ack.to(), r);
      }
    }
    pendingAcks.clear();
  }

  // ---------------------------------------------------------------- leader: heartbeats and AppendEntries

  private void scheduleHeartbeat() {
    heartbeatTag = raft.newTimerTag(TimerKind.HEARTBEAT);
    heartbeatTimer = raft.ctx.schedule(Duration.ofMillis(raft.settings.heartbeatMs()), heartbeatTag);
  }

  void onHeartbeatTimer(TimerTag tag) {
    if (!tag.equals(heartbeatTag)) {
      return;
    }
    heartbeatTimer = null;
    heartbeatTag = null;
    if (raft.role == Role.LEADER) {
      onHeartbeat();
    }
  }

  /** Each heartbeat interval: check-quorum, a new confirmation round, and something to every follower. */
  private void onHeartbeat() {
    if (!raft.election.checkQuorum()) {
      return;
    }
    scheduleHeartbeat();
    raft.reads.startRound();
    for (Map.Entry<String, Progress> peer : progress.entrySet()) {
      Progress p = peer.getValue();
      if (!p.heardSinceTick && p.nextIndex > p.matchIndex + 1) {
        // Nothing came back for a whole interval: assume what is in flight was lost, resend it.
        p.nextIndex = p.matchIndex + 1;
      }
      p.heardSinceTick = false;
      sendAppends(peer.getKey(), p, true);
    }
  }

  /**
   * Sends {@code peer} what it lacks, a few batches ahead of its acknowledgements (pipelining; one
   * batch when probing), or a snapshot if the leader compacted what it needs. With {@code mustSend},
   * sends at least an empty AppendEntries, as a heartbeat carrying the current round.
   */
  void sendAppends(String peer, Progress p, boolean mustSend) {
    boolean sent = false;
    long window = (long) PIPELINE_BATCHES * raft.settings.maxBatch();
    while (!(sent && p.probing)) {
      if (p.nextIndex <= raft.log.snapshotIndex()) {
        raft.snapshots.send(peer, p);
        return;
      }
      if (p.nextIndex > raft.log.lastIndex() || (!p.probing && p.nextIndex - p.matchIndex - 1 >= window)) {
        break;
      }
      sendAppend(peer, p, raft.log.slice(p.nextIndex, raft.settings.maxBatch()));
      sent = true;
    }
    if (!sent && mustSend) {
      sendAppend(peer, p, List.of());
    }
  }

  private void sendAppend(String peer, Progress p, List<Entry> entries) {
    long prev = p.nextIndex - 1;
    raft.ctx.send(peer, new AppendEntries(
        raft.term, raft.id, prev, raft.log.term(prev), entries, raft.commitIndex, raft.reads.round()));
    if (!p.probing) {
      p.nextIndex += entries.size(); // pipelining: assume it arrives
    }
  }

  void onAppendEntriesResponse(String from, AppendEntriesResponse m) {
    if (m.term() > raft.term) {
      raft.election.becomeFollower(m.term(), null);
      return;
    }
    Progress p = progress.get(from);
    if (raft.role != Role.LEADER || m.term() < raft.term || p == null) {
      return;
    }
    heard(p, m.round());
    if (m.success()) {
      // Capped: only a planted bug (two leaders in one term) could make a follower claim more.
      p.matchIndex = Math.max(p.matchIndex, Math.min(m.matchIndex(), raft.log.lastIndex()));
      p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
      p.probing = false;
      advanceCommit();
      if (raft.role == Role.LEADER) {
        sendAppends(from, p, false);
      }
      return;
    }
    long next = Math.max(p.matchIndex + 1, Math.min(m.conflictIndex(), raft.log.lastIndex() + 1));
    // Only a rejection that teaches something is answered at once. A stale or duplicated one would
    // otherwise breed a message per message, forever if the follower lost what it acknowledged;
    // the heartbeat retries anyway.
    if (next < p.nextIndex) {
      p.nextIndex = next;
      p.probing = true;
      sendAppends(from, p, false);
    }
  }

  /** The follower answered in this term: it still takes this node for its leader. */
  void heard(Progress p, long ackedRound) {
    p.lastHeard = raft.leaseNow();
    p.heardSinceTick = true;
    raft.reads.roundAnswered(p, ackedRound);
  }

  // ---------------------------------------------------------------- leader: commit

  /** Commits the highest index a majority holds durably, if it is of this term (Raft §5.4.2). */
  void advanceCommit() {
    long majority = heldByQuorum(raft.syncedIndex, p -> p.matchIndex);
    if (majority > raft.commitIndex && raft.log.term(majority) == raft.term) {
      commitTo(majority);
      raft.ctx.observe(Observation.of(Observation.COMMIT, raft.term, majority));
    }
  }

  /**
   * The highest value that a majority, this node included, has reached: with this node's own value
   * and each follower's, the quorum-th largest.
   */
  long heldByQuorum(long own, ToLongFunction<Progress> followers) {
    long[] values = new long[raft.peers.size() + 1];
    values[0] = own;
    int i = 1;
    for (Progress p : progress.values()) {
      values[i++] = followers.applyAsLong(p);
    }
    Arrays.sort(values);
    return values[values.length - raft.quorum];
  }

  // ---------------------------------------------------------------- follower: AppendEntries

  void onAppendEntries(String from, AppendEntries m) {
    if (m.term() < raft.term) {
      // Tells a deposed leader about the newer term.
      raft.ctx.send(from, new AppendEntriesResponse(raft.term, false, 0, 0, 0, m.round()));
      return;
    }
    if (raft.role == Role.LEADER && m.term() == raft.term) {
      assert raft.settings.invariantsMayBreak() : "two leaders in term " + raft.term + ": " + raft.id + " and " + from;
      return;
    }
    raft.election.heardFromLeader(m.term(), m.leader());

    RaftLog log = raft.log;
    long prev = m.prevLogIndex();
    long prevTerm = m.prevLogTerm();
    List<Entry> entries = m.entries();
    if (prev < log.snapshotIndex()) {
      // Our snapshot covers a committed prefix, identical on every replica: skip what it covers.
      int skip = (int) Math.min(entries.size(), log.snapshotIndex() - prev);
      if (skip == entries.size()) {
        queueAck(from, new AppendEntriesResponse(raft.term, true, log.snapshotIndex(), 0, 0, m.round()));
        return;
      }
      prevTerm = entries.get(skip - 1).term(); // skip >= 1, as prev is below the snapshot
      entries = entries.subList(skip, entries.size());
      prev = log.snapshotIndex();
    }
    if (prev > log.lastIndex()) {
      queueAck(from, new AppendEntriesResponse(raft.term, false, 0, log.lastIndex() + 1, 0, m.round()));
      return;
    }
    long localTerm = log.term(prev);
    if (localTerm != prevTerm) {
      queueAck(from, new AppendEntriesResponse(
          raft.term, false, 0, log.firstIndexOfTermAt(prev), localTerm, m.round()));
      return;
    }
    int fresh = 0;
    while (fresh < entries.size()) {
      Entry e = entries.get(fresh);
      if (e.index() > log.lastIndex()) {
        break;
      }
      if (log.term(e.index()) != e.term()) {
        truncateFrom(e.index());
        break;
      }
      fresh++;
    }
    if (fresh < entries.size()) {
      List<Entry> appended = entries.subList(fresh, entries.size());
      for (Entry e : appended) {
        log.append(e);
      }
      raft.ctx.storage().append(Records.entries(appended));
      raft.unsynced = true;
    }
    long lastNew = prev + entries.size();
    assert entries.isEmpty() || log.term(lastNew) == entries.get(entries.size() - 1).term()
        : "log does not match what the leader sent at " + lastNew;
    if (m.leaderCommit() > raft.commitIndex) {
      commitTo(Math.max(raft.commitIndex, Math.min(m.leaderCommit(), lastNew)));
    }
    queueAck(from, new AppendEntriesResponse(raft.term, true, lastNew, 0, 0, m.round()));
  }

  private void truncateFrom(long index) {
    assert index > raft.commitIndex || raft.settings.invariantsMayBreak()
        : "truncating committed entry " + index + " (commit " + raft.commitIndex + ")";
    raft.log.truncateFrom(index);
    raft.ctx.storage().append(Records.truncateFrom(index));
    raft.ctx.observe(Observation.of(Observation.TRUNCATE, raft.term, index));
    raft.unsynced = true;
    raft.syncedIndex = Math.min(raft.syncedIndex, index - 1);
  }

  /** Every answer to AppendEntries waits for the flush, so that it follows the sync it depends on. */
  private void queueAck(String to, AppendEntriesResponse response) {
    long matchTerm = response.success() ? raft.log.term(response.matchIndex()) : 0;
    pendingAcks.add(new PendingAck(to, response, matchTerm));
    scheduleFlush();
  }

  // ---------------------------------------------------------------- commit and apply, on every replica

  /**
   * Applies everything up to {@code index} in log order and answers the writes waiting for it, then
   * the reads that were waiting for it to be applied; snapshots when enough has been applied.
   */
  private void commitTo(long index) {
    assert index >= raft.commitIndex : "commit index going back from " + raft.commitIndex + " to " + index;
    raft.commitIndex = index;
    while (raft.lastApplied < raft.commitIndex) {
      Entry entry = raft.log.entry(raft.lastApplied + 1);
      Command command = entry.command();
      Object answer = null;
      String refusal;
      if (command instanceof Command.Txn txn) {
        KvStore.TxnResult result = raft.kv.transact(txn, true);
        refusal = result.refusal();
        answer = result.ops();
      } else {
        refusal = raft.kv.apply(command);
      }
      raft.lastApplied = entry.index();
      raft.observer.applied(entry);
      // A digest, not the command: cheap enough to report on every apply, and equal where the commands are.
      raft.ctx.observe(new Observation(Observation.APPLY, entry.term(), entry.index(),
          Integer.toHexString(entry.command().hashCode())));
      PendingWrite write = pendingWrites.remove(entry.index());
      if (write != null) {
        assert write.term() == entry.term() : "a pending write outlived its leader's term";
        if (refusal == null) {
          write.responder().done(answer);
          raft.ctx.observe(Observation.of(Observation.ACK, entry.term(), entry.index()));
        } else {
          // The entry committed but changed nothing (a cas mismatch, a command on a key of the
          // other kind): it certainly did not happen.
          write.responder().notDone(refusal, null);
        }
      }
    }
    assert raft.lastApplied <= raft.commitIndex;
    raft.reads.answerReads();
    raft.snapshots.takeIfDue();
  }
}
