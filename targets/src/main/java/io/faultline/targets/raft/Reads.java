package io.faultline.targets.raft;

import io.faultline.targets.node.Observation;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.kv.Command;
import io.faultline.targets.kv.KvRequests;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.raft.RaftNode.Role;
import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * Linearizable reads without a log entry: ReadIndex (Raft thesis §6.4) and, with {@code read=lease},
 * a leader lease (§6.4.1). Both rest on confirmation rounds: a leader numbers its heartbeat rounds,
 * every AppendEntries and InstallSnapshot carries the current number, followers echo it, and a round
 * that a majority answered proves this node was still leader when the round began.
 *
 * <p>Contract: a read is answered done only by a leader, after every write acknowledged before the
 * read arrived is applied, and either after a round that began after it arrived was confirmed, or
 * while the lease holds. The lease lasts a minimum election timeout less the drift margin from the
 * start of a confirmed round; it is safe because {@link Election} refuses votes for that long after
 * hearing from a leader. The planted bug {@code stale-read} answers every read from local state,
 * read-only transactions included.
 */
final class Reads {
  /** A read waiting for confirmation round {@code round} and for {@code readIndex} to be applied. */
  private record PendingRead(Command read, long readIndex, long round, Responder responder) {}

  private final RaftNode raft;

  // Leader state.
  private final ArrayDeque<PendingRead> pendingReads = new ArrayDeque<>();
  private long round;
  private long confirmedRound;
  private boolean roundWanted;
  /** When each unconfirmed round began, on the lease clock. */
  private final TreeMap<Long, Long> roundStarts = new TreeMap<>();
  private boolean leaseHeld;
  private long leaseStart;

  Reads(RaftNode raft) {
    this.raft = raft;
  }

  /** Reads keep nothing across incarnations but leader state. */
  void reset() {
    clearLeaderState();
  }

  void clearLeaderState() {
    pendingReads.clear();
    round = 0;
    confirmedRound = 0;
    roundWanted = false;
    roundStarts.clear();
    leaseHeld = false;
    leaseStart = 0;
  }

  void onRead(Request request, Responder responder) {
    Command read;
    try {
      read = KvRequests.read(request);
    } catch (IllegalArgumentException e) {
      responder.notDone(e.getMessage(), null);
      return;
    }
    read(read, responder);
  }

  /** Serves {@code read}: a key, accounts, or a read-only transaction ({@link KvRequests#answer}). */
  void read(Command read, Responder responder) {
    if (raft.settings.has(RaftBug.STALE_READ)) {
      responder.done(KvRequests.answer(raft.kv, read));
      return;
    }
    if (raft.role != Role.LEADER) {
      responder.notDone("not the leader", raft.leader);
      return;
    }
    assert raft.lastApplied == raft.commitIndex : "applied " + raft.lastApplied + " behind commit " + raft.commitIndex;
    if (raft.settings.leaseReads() && raft.commitIndex >= raft.replication.noopIndex() && leaseValid()) {
      responder.done(KvRequests.answer(raft.kv, read));
      return;
    }
    // ReadIndex. Any write that completed before this read is at or below the commit index, or, if
    // it was committed by an earlier leader, below this term's no-op. The read waits for a round of
    // heartbeats sent after it arrived (so this node was still leader after it arrived), and for
    // that index to be applied.
    long readIndex = Math.max(raft.commitIndex, raft.replication.noopIndex());
    pendingReads.add(new PendingRead(read, readIndex, round + 1, responder));
    roundWanted = true;
    raft.replication.scheduleFlush();
  }

  // ---------------------------------------------------------------- confirmation rounds

  /** The round every AppendEntries and InstallSnapshot sent now carries. */
  long round() {
    return round;
  }

  /** Whether the next flush must begin a round: a read waits for one, or a new leader wants its first. */
  boolean roundWanted() {
    return roundWanted;
  }

  void wantRound() {
    roundWanted = true;
  }

  /** Begins a confirmation round: every AppendEntries sent from now on carries its number. */
  void startRound() {
    round++;
    roundStarts.put(round, raft.leaseNow());
    roundWanted = false;
    confirmRounds();
  }

  /** A follower echoed {@code ackedRound}; rounds beyond this leader's own are not believed. */
  void roundAnswered(Progress p, long ackedRound) {
    if (ackedRound > p.ackedRound) {
      p.ackedRound = Math.min(ackedRound, round);
      confirmRounds();
    }
  }

  /**
   * The highest round a majority (this node included) has answered proves this node was leader when
   * that round began: reads waiting for it may proceed, and the lease runs from that beginning.
   */
  private void confirmRounds() {
    long confirmed = raft.replication.heldByQuorum(round, p -> p.ackedRound);
    if (confirmed <= confirmedRound) {
      return;
    }
    confirmedRound = confirmed;
    Long began = roundStarts.get(confirmed);
    if (began != null && (!leaseHeld || began > leaseStart)) {
      leaseStart = began;
      leaseHeld = true;
    }
    roundStarts.headMap(confirmed).clear();
    answerReads();
  }

  // ---------------------------------------------------------------- lease and answers

  /**
   * The lease: no other leader can exist until a minimum election timeout (less the drift margin)
   * after a round that a majority answered began, because each of them refuses to vote for that
   * long after hearing from this node.
   */
  private boolean leaseValid() {
    return leaseHeld && raft.leaseNow() - leaseStart < raft.settings.leaseNanos();
  }

  /** Answers, in arrival order, the reads whose round is confirmed and whose index is applied. */
  void answerReads() {
    while (!pendingReads.isEmpty()) {
      PendingRead read = pendingReads.peek();
      if (read.round() > confirmedRound || read.readIndex() > raft.lastApplied) {
        return;
      }
      pendingReads.poll();
      read.responder().done(KvRequests.answer(raft.kv, read.read()));
      raft.ctx.observe(Observation.of(Observation.READ, raft.term, read.readIndex()));
    }
  }

  /** A read changed nothing and now never will: certainly not done, with where to ask instead. */
  void answerPendingReadsNotDone(String why, String newLeader) {
    for (PendingRead read : pendingReads) {
      read.responder().notDone(why, newLeader);
    }
  }
}
