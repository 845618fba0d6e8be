package io.faultline.targets.raft;

import io.faultline.targets.node.Observation;
import io.faultline.targets.node.Timer;
import io.faultline.targets.raft.RaftNode.Role;
import io.faultline.targets.raft.RaftNode.TimerKind;
import io.faultline.targets.raft.RaftNode.TimerTag;
import java.time.Duration;
import java.util.TreeSet;

/**
 * Who leads: the election timer, pre-vote and RequestVote (Raft §5.2, with the pre-vote of Ongaro's
 * thesis §9.6), counting votes, check-quorum, and every change of term and role, stepping down as
 * leader included.
 *
 * <p>Contract, which the lease in {@link Reads} depends on: a node grants no vote and no pre-vote
 * while it leads or less than a minimum election timeout after it last heard from a leader (after
 * a restart with leases on, it assumes it heard just now); a vote is synced before the answer that
 * grants it is sent; a term is never left for a lower one.
 */
final class Election {
  private final RaftNode raft;

  private Timer electionTimer;
  private TimerTag electionTag;
  private final TreeSet<String> votes = new TreeSet<>();
  /** Who answered this (pre-)candidacy at all; the others are asked again. */
  private final TreeSet<String> answered = new TreeSet<>();
  private Timer voteRetryTimer;
  private TimerTag voteRetryTag;
  private boolean leaderContactKnown;
  private long lastLeaderContact;

  Election(RaftNode raft) {
    this.raft = raft;
  }

  /** Forgets the votes and timers of an earlier incarnation; {@link #arm} follows once storage is synced. */
  void reset() {
    votes.clear();
    answered.clear();
    voteRetryTimer = null;
    voteRetryTag = null;
    electionTimer = null;
    electionTag = null;
  }

  /** Starts the election timer of a node that has just started as a follower. */
  void arm() {
    // A lease holder counts on this node not voting for a rival within an election timeout of
    // hearing from it. After a restart the node has forgotten when that was, so it assumes "just now".
    leaderContactKnown = raft.settings.leaseReads();
    lastLeaderContact = raft.ctx.monotonicNanos();
    resetElectionTimer();
  }

  // ---------------------------------------------------------------- timers

  void onElectionTimer(TimerTag tag) {
    if (!tag.equals(electionTag)) {
      return;
    }
    electionTimer = null;
    electionTag = null;
    if (raft.role != Role.LEADER) {
      startPreVote();
    }
  }

  void onVoteRetryTimer(TimerTag tag) {
    if (!tag.equals(voteRetryTag)) {
      return;
    }
    voteRetryTimer = null;
    voteRetryTag = null;
    if (raft.role == Role.PRE_CANDIDATE || raft.role == Role.CANDIDATE) {
      askForVotes();
    }
  }

  /** Draws a new timeout, uniform in [min, 2 min), from the node's random source. */
  void resetElectionTimer() {
    if (electionTimer != null) {
      electionTimer.cancel();
    }
    long minMicros = raft.settings.electionTimeoutMs() * 1000L;
    long micros = minMicros + raft.ctx.random().nextInt((int) Math.min(Integer.MAX_VALUE, minMicros));
    electionTag = raft.newTimerTag(TimerKind.ELECTION);
    electionTimer = raft.ctx.schedule(Duration.ofNanos(micros * 1000L), electionTag);
  }

  private void cancelElectionTimer() {
    if (electionTimer != null) {
      electionTimer.cancel();
    }
    electionTimer = null;
    electionTag = null;
  }

  // ---------------------------------------------------------------- standing for election

  /** Asks the others whether this node could win the next term, without disturbing anyone. */
  private void startPreVote() {
    changeRole(Role.PRE_CANDIDATE);
    raft.leader = null;
    votes.clear();
    votes.add(raft.id);
    answered.clear();
    resetElectionTimer();
    askForVotes();
    if (votes.size() >= raft.quorum) {
      startElection();
    }
  }

  private void startElection() {
    setTerm(raft.term + 1);
    changeRole(Role.CANDIDATE);
    raft.votedFor = raft.id;
    raft.persistHardState();
    raft.ctx.observe(Observation.of(Observation.ELECTION, raft.term, 0));
    raft.ctx.observe(new Observation(Observation.VOTE, raft.term, 0, raft.id));
    raft.leader = null;
    votes.clear();
    votes.add(raft.id);
    answered.clear();
    resetElectionTimer();
    askForVotes();
    if (votes.size() >= raft.quorum) {
      becomeLeader();
    }
  }

  /**
   * Sends RequestVote to every peer that has not answered yet, and again each heartbeat interval
   * until it does: a lost request would otherwise cost a whole election timeout.
   */
  private void askForVotes() {
    boolean preVote = raft.role == Role.PRE_CANDIDATE;
    RequestVote request = new RequestVote(
        preVote ? raft.term + 1 : raft.term, raft.id, raft.log.lastIndex(), raft.log.lastTerm(), preVote);
    for (String peer : raft.peers) {
      if (!answered.contains(peer)) {
        raft.ctx.send(peer, request);
      }
    }
    cancelVoteRetry();
    voteRetryTag = raft.newTimerTag(TimerKind.VOTE_RETRY);
    voteRetryTimer = raft.ctx.schedule(Duration.ofMillis(raft.settings.heartbeatMs()), voteRetryTag);
  }

  private void cancelVoteRetry() {
    if (voteRetryTimer != null) {
      voteRetryTimer.cancel();
    }
    voteRetryTimer = null;
    voteRetryTag = null;
  }

  /** Counts the answers to this node's (pre-)candidacy; a newer term in one ends it. */
  void onRequestVoteResponse(String from, RequestVoteResponse m) {
    if (m.preVote()) {
      if (raft.role == Role.PRE_CANDIDATE) {
        answered.add(from);
      }
      if (m.granted()) {
        if (raft.role == Role.PRE_CANDIDATE && m.term() == raft.term + 1) {
          votes.add(from);
          if (votes.size() >= raft.quorum) {
            startElection();
          }
        }
      } else if (m.term() > raft.term) {
        becomeFollower(m.term(), null);
      }
      return;
    }
    if (m.term() > raft.term) {
      becomeFollower(m.term(), null);
      return;
    }
    if (raft.role == Role.CANDIDATE && m.term() == raft.term) {
      answered.add(from);
    }
    if (raft.role == Role.CANDIDATE && m.term() == raft.term && m.granted()) {
      votes.add(from);
      if (votes.size() >= raft.quorum) {
        becomeLeader();
      }
    }
  }

  // ---------------------------------------------------------------- voting

  /**
   * True while this node must not help elect anyone else: it is the leader, or it heard from one
   * less than a minimum election timeout ago. This is what keeps a rejoining node's pre-vote from
   * unseating a healthy leader, and what makes a leader's lease safe.
   */
  private boolean leaderRecentlyHeard() {
    if (raft.role == Role.LEADER) {
      return true;
    }
    return leaderContactKnown
        && raft.ctx.monotonicNanos() - lastLeaderContact < raft.settings.electionTimeoutNanos();
  }

  void onRequestVote(String from, RequestVote m) {
    if (m.term() < raft.term || leaderRecentlyHeard()) {
      raft.ctx.send(from, new RequestVoteResponse(raft.term, false, m.preVote()));
      return;
    }
    if (m.preVote()) {
      // Neither the term nor the vote changes: a pre-vote only predicts the real one.
      boolean grant = m.term() > raft.term && logUpToDate(m);
      raft.ctx.send(from, new RequestVoteResponse(grant ? m.term() : raft.term, grant, true));
      return;
    }
    if (m.term() > raft.term) {
      becomeFollower(m.term(), null);
    }
    boolean grant = (raft.votedFor == null || raft.votedFor.equals(m.candidate())) && logUpToDate(m);
    if (grant) {
      if (raft.votedFor == null) {
        raft.votedFor = m.candidate();
        raft.persistHardState();
      }
      raft.ctx.observe(new Observation(Observation.VOTE, raft.term, 0, m.candidate()));
      resetElectionTimer();
    }
    raft.ctx.send(from, new RequestVoteResponse(raft.term, grant, false));
  }

  /** Raft §5.4.1: the candidate's log ends in a later term, or in the same term and no shorter. */
  private boolean logUpToDate(RequestVote m) {
    return m.lastLogTerm() > raft.log.lastTerm()
        || (m.lastLogTerm() == raft.log.lastTerm() && m.lastLogIndex() >= raft.log.lastIndex());
  }

  // ---------------------------------------------------------------- following a leader

  /**
   * A leader of term {@code leaderTerm}, at least this node's own, has spoken (AppendEntries or
   * InstallSnapshot): follow it, and count from now before voting for anyone else.
   */
  void heardFromLeader(long leaderTerm, String newLeader) {
    if (leaderTerm > raft.term || raft.role != Role.FOLLOWER || !newLeader.equals(raft.leader)) {
      becomeFollower(leaderTerm, newLeader);
    }
    leaderContactKnown = true;
    lastLeaderContact = raft.ctx.monotonicNanos();
    resetElectionTimer();
  }

  // ---------------------------------------------------------------- leading and check-quorum

  private void becomeLeader() {
    changeRole(Role.LEADER);
    raft.leader = raft.id;
    raft.ctx.observe(Observation.of(Observation.LEADER, raft.term, 0));
    cancelElectionTimer();
    cancelVoteRetry();
    raft.clearLeaderState();
    raft.replication.lead();
  }

  /**
   * Check-quorum, on every heartbeat: a leader that has not heard from a majority within an
   * election timeout may have been replaced; it stops acting as leader rather than keep answering.
   *
   * @return whether this node is still the leader
   */
  boolean checkQuorum() {
    long now = raft.leaseNow();
    int heard = 1;
    for (Progress p : raft.replication.followers()) {
      if (now - p.lastHeard < raft.settings.electionTimeoutNanos()) {
        heard++;
      }
    }
    if (heard < raft.quorum) {
      raft.ctx.log("raft: stepping down, heard from " + heard + " of " + (raft.peers.size() + 1)
          + " within the election timeout");
      becomeFollower(raft.term, null);
      return false;
    }
    return true;
  }

  /**
   * Moves to {@code newTerm} (if higher, durably, forgetting the vote) as a follower of {@code
   * newLeader} (null: unknown). A leader that steps down answers what it still holds.
   */
  void becomeFollower(long newTerm, String newLeader) {
    if (newTerm > raft.term) {
      setTerm(newTerm);
      raft.votedFor = null;
      raft.persistHardState();
    }
    Role old = raft.role;
    changeRole(Role.FOLLOWER);
    raft.leader = newLeader;
    votes.clear();
    cancelVoteRetry();
    if (old == Role.LEADER) {
      stepDown(newLeader);
    }
    if (electionTimer == null) {
      resetElectionTimer();
    }
  }

  /**
   * Stops being leader. Writes still pending may yet commit under the next leader, so they are
   * unknown; a pending read changed nothing and never will, so it certainly did not happen.
   */
  private void stepDown(String newLeader) {
    raft.replication.stopHeartbeats();
    raft.replication.answerPendingWritesUnknown("leadership lost");
    raft.reads.answerPendingReadsNotDone("leadership lost", newLeader);
    raft.clearLeaderState();
  }

  private void setTerm(long newTerm) {
    assert newTerm > raft.term;
    raft.ctx.log("raft: term " + raft.term + " -> " + newTerm);
    raft.term = newTerm;
  }

  private void changeRole(Role next) {
    if (raft.role != next) {
      raft.ctx.log("raft: " + raft.role.wireName + " -> " + next.wireName + " in term " + raft.term);
      raft.role = next;
    }
  }
}
