package io.faultline.targets.raft;

import io.faultline.targets.node.Message;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.Timer;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * One Raft replica of a key/value store: election with pre-vote and check-quorum, pipelined and
 * batched log replication, group commit, ReadIndex or lease reads, snapshots, and recovery from its
 * storage records ({@link Records}).
 *
 * <p>Durability rules, which every change below keeps:
 *
 * <ul>
 *   <li>a term or vote change is synced before anything is sent that depends on it;
 *   <li>a follower acknowledges entries only after a sync that covers them;
 *   <li>a leader counts itself towards a majority only up to its synced index.
 * </ul>
 *
 * <p>Must never happen (asserted where a planted bug cannot cause it): two votes in one term as
 * persisted, the commit index going back, applying past the commit index, truncating a committed
 * entry, a log whose entries disagree with what the leader sent after appending them.
 */
public final class RaftNode implements Node {

  /** What the replica is doing now. */
  enum Role {
    FOLLOWER("follower"),
    PRE_CANDIDATE("pre-candidate"),
    CANDIDATE("candidate"),
    LEADER("leader");

    final String wireName;

    Role(String wireName) {
      this.wireName = wireName;
    }
  }

  /** Sees every entry a replica applies, in order; the tests compare replicas with it. */
  interface ApplyObserver {
    void applied(Entry entry);
  }

  private enum TimerKind { ELECTION, HEARTBEAT, FLUSH, VOTE_RETRY }

  /** A timer's tag. The serial is never reused, even across restarts, so a stale timer never matches. */
  private record TimerTag(TimerKind kind, long serial) {}

  /** An acknowledgement held back until the sync that makes what it claims durable. */
  private record PendingAck(String to, AppendEntriesResponse response, long matchTerm) {}

  private record PendingWrite(long term, Responder responder) {}

  /** A read waiting for confirmation round {@code round} and for {@code readIndex} to be applied. */
  private record PendingRead(String key, long readIndex, long round, Responder responder) {}

  /** The leader's view of one follower. */
  private static final class Progress {
    long nextIndex;
    long matchIndex;
    long ackedRound;
    /** When the follower last answered in this term, on the lease clock: for check-quorum. */
    long lastHeard;
    boolean heardSinceTick;
    /**
     * After a rejection or a snapshot, until the next success: where the follower's log ends is
     * unknown, so one message at a time, and nextIndex stays where the probe started. Advancing it
     * would make the probe's own rejection look like news, and answering news at once would then
     * go on forever (and, with duplication, multiply) against a follower that lost what it had
     * acknowledged.
     */
    boolean probing;

    Progress(long nextIndex, long now) {
      this.nextIndex = nextIndex;
      this.lastHeard = now;
    }
  }

  /** How many batches a leader sends ahead of a follower's acknowledgements. */
  private static final int PIPELINE_BATCHES = 4;

  private final RaftSettings settings;
  private long timerSerial;
  private ApplyObserver observer = entry -> {};

  private NodeContext ctx;
  private String id;
  private List<String> peers;
  private int quorum;

  // Persistent state: mirrored in storage records as it changes.
  private long term;
  private String votedFor;
  /** What storage holds, to assert that no term ever gets two votes there. */
  private long persistedTerm;
  private String persistedVoteInTerm;
  private RaftLog log;
  private SortedMap<String, Object> snapshotState;

  // Volatile state, rebuilt by start().
  private KvStore kv;
  private Role role;
  private String leader;
  private long commitIndex;
  private long lastApplied;
  private long syncedIndex;
  private boolean unsynced;
  private boolean leaderContactKnown;
  private long lastLeaderContact;
  private Timer electionTimer;
  private TimerTag electionTag;
  private TimerTag flushTag;
  private final TreeSet<String> votes = new TreeSet<>();
  /** Who answered this (pre-)candidacy at all; the others are asked again. */
  private final TreeSet<String> answered = new TreeSet<>();
  private Timer voteRetryTimer;
  private TimerTag voteRetryTag;
  private final List<PendingAck> pendingAcks = new ArrayList<>();

  // Leader state.
  private Timer heartbeatTimer;
  private TimerTag heartbeatTag;
  private final LinkedHashMap<String, Progress> progress = new LinkedHashMap<>();
  private long noopIndex;
  private final TreeMap<Long, PendingWrite> pendingWrites = new TreeMap<>();
  private final ArrayDeque<PendingRead> pendingReads = new ArrayDeque<>();
  private long round;
  private long confirmedRound;
  private boolean roundWanted;
  /** When each unconfirmed round began, on the lease clock. */
  private final TreeMap<Long, Long> roundStarts = new TreeMap<>();
  private boolean leaseHeld;
  private long leaseStart;

  RaftNode(RaftSettings settings) {
    this.settings = settings;
  }

  // ---------------------------------------------------------------- node seam

  @Override
  public void start(NodeContext context) {
    ctx = context;
    id = context.id();
    List<String> members = context.members();
    if (!members.contains(id)) {
      throw new IllegalArgumentException("node " + id + " is not among the members " + members);
    }
    peers = new ArrayList<>(members);
    peers.remove(id);
    quorum = members.size() / 2 + 1;

    List<byte[]> records = context.storage().readAll();
    Records.Recovered recovered = Records.recover(records);
    term = recovered.term();
    votedFor = recovered.vote();
    persistedTerm = term;
    persistedVoteInTerm = votedFor;
    log = recovered.log();
    snapshotState = recovered.state();
    kv = new KvStore(snapshotState);
    commitIndex = log.snapshotIndex();
    lastApplied = log.snapshotIndex();

    role = Role.FOLLOWER;
    leader = null;
    votes.clear();
    answered.clear();
    pendingAcks.clear();
    clearLeaderState();
    voteRetryTimer = null;
    voteRetryTag = null;
    electionTimer = null;
    electionTag = null;
    flushTag = null;
    heartbeatTimer = null;
    heartbeatTag = null;
    syncedIndex = log.lastIndex();
    unsynced = false;
    if (!records.isEmpty()) {
      // What was read back may sit only in a cache; make it durable before acting on it.
      syncStorage();
    }
    // A lease holder counts on this node not voting for a rival within an election timeout of
    // hearing from it. After a restart the node has forgotten when that was, so it assumes "just now".
    leaderContactKnown = settings.leaseReads();
    lastLeaderContact = ctx.monotonicNanos();
    resetElectionTimer();
    ctx.log("raft: started as follower, term " + term + ", vote " + votedFor + ", snapshot "
        + log.snapshotIndex() + ", last index " + log.lastIndex());
  }

  @Override
  public void onMessage(String from, Message message) {
    if (ctx == null || !peers.contains(from)) {
      return;
    }
    if (message instanceof AppendEntries m) {
      onAppendEntries(from, m);
    } else if (message instanceof AppendEntriesResponse m) {
      onAppendEntriesResponse(from, m);
    } else if (message instanceof RequestVote m) {
      onRequestVote(from, m);
    } else if (message instanceof RequestVoteResponse m) {
      onRequestVoteResponse(from, m);
    } else if (message instanceof InstallSnapshot m) {
      onInstallSnapshot(from, m);
    } else if (message instanceof InstallSnapshotResponse m) {
      onInstallSnapshotResponse(from, m);
    }
  }

  @Override
  public void onTimer(Timer timer) {
    if (ctx == null || !(timer.tag() instanceof TimerTag tag)) {
      return;
    }
    if (tag.equals(electionTag)) {
      electionTimer = null;
      electionTag = null;
      if (role != Role.LEADER) {
        startPreVote();
      }
    } else if (tag.equals(heartbeatTag)) {
      heartbeatTimer = null;
      heartbeatTag = null;
      if (role == Role.LEADER) {
        onHeartbeat();
      }
    } else if (tag.equals(flushTag)) {
      flushTag = null;
      flush();
    } else if (tag.equals(voteRetryTag)) {
      voteRetryTimer = null;
      voteRetryTag = null;
      if (role == Role.PRE_CANDIDATE || role == Role.CANDIDATE) {
        askForVotes();
      }
    }
  }

  @Override
  public void onClientRequest(Request request, Responder responder) {
    if (ctx == null) {
      responder.notDone("node is still starting", null);
      return;
    }
    switch (request.f()) {
      case "status" -> responder.done(status());
      case "read" -> onRead(request, responder);
      case "write" -> {
        Long value = asLong(request.value());
        if (value == null) {
          responder.notDone("write needs a whole-number value, got " + show(request.value()), null);
        } else {
          propose(new Command.Put(request.key(), value), responder);
        }
      }
      case "cas" -> {
        List<?> pair = request.value() instanceof List<?> l && l.size() == 2 ? l : null;
        Long expected = pair == null ? null : asLong(pair.get(0));
        Long value = pair == null ? null : asLong(pair.get(1));
        if (expected == null || value == null) {
          responder.notDone(
              "cas needs [expected, new] as two whole numbers, got " + show(request.value()), null);
        } else {
          propose(new Command.Cas(request.key(), expected, value), responder);
        }
      }
      case "add" -> {
        Long element = asLong(request.value());
        if (element == null) {
          responder.notDone("add needs a whole-number element, got " + show(request.value()), null);
        } else {
          propose(new Command.Add(request.key(), element), responder);
        }
      }
      default -> responder.notDone(
          "unknown operation '" + request.f() + "' (expected read, write, cas, add or status)", null);
    }
  }

  // ---------------------------------------------------------------- client requests

  private void onRead(Request request, Responder responder) {
    if (request.value() != null) {
      responder.notDone("read takes no value, got " + show(request.value()), null);
      return;
    }
    if (settings.has(Bug.STALE_READ)) {
      responder.done(kv.get(request.key()));
      return;
    }
    if (role != Role.LEADER) {
      responder.notDone("not the leader", leader);
      return;
    }
    assert lastApplied == commitIndex : "applied " + lastApplied + " behind commit " + commitIndex;
    if (settings.leaseReads() && commitIndex >= noopIndex && leaseValid()) {
      responder.done(kv.get(request.key()));
      return;
    }
    // ReadIndex. Any write that completed before this read is at or below the commit index, or, if
    // it was committed by an earlier leader, below this term's no-op. The read waits for a round of
    // heartbeats sent after it arrived (so this node was still leader after it arrived), and for
    // that index to be applied.
    long readIndex = Math.max(commitIndex, noopIndex);
    pendingReads.add(new PendingRead(request.key(), readIndex, round + 1, responder));
    roundWanted = true;
    scheduleFlush();
  }

  private void propose(Command command, Responder responder) {
    if (role != Role.LEADER) {
      responder.notDone("not the leader", leader);
      return;
    }
    Entry entry = new Entry(log.lastIndex() + 1, term, command);
    appendAsLeader(entry);
    pendingWrites.put(entry.index(), new PendingWrite(term, responder));
  }

  /** Group commit: the entry goes to storage now, the sync and the broadcast at the next flush. */
  private void appendAsLeader(Entry entry) {
    log.append(entry);
    ctx.storage().append(Records.entries(List.of(entry)));
    unsynced = true;
    scheduleFlush();
  }

  private Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("id", id);
    status.put("role", role.wireName);
    status.put("term", term);
    status.put("leader", leader);
    status.put("commitIndex", commitIndex);
    status.put("lastIndex", log.lastIndex());
    status.put("snapshotIndex", log.snapshotIndex());
    // The node's own wall clock, so a harness can see a clock fault take effect.
    status.put("wallMillis", ctx.wallMillis());
    return status;
  }

  // ---------------------------------------------------------------- flush: group commit

  private void scheduleFlush() {
    if (flushTag == null) {
      flushTag = new TimerTag(TimerKind.FLUSH, ++timerSerial);
      ctx.schedule(Duration.ZERO, flushTag); // never cancelled: a flush with nothing to do is harmless
    }
  }

  /**
   * Runs after the events that were already queued, so that everything that arrived together shares
   * one sync: a leader's client entries, a follower's AppendEntries.
   */
  private void flush() {
    if (role == Role.LEADER) {
      boolean newRound = roundWanted;
      if (newRound) {
        startRound();
      }
      // Sent before the leader's own sync, which Raft allows: the leader counts itself only up to
      // its synced index, and followers sync before they acknowledge.
      for (Map.Entry<String, Progress> peer : progress.entrySet()) {
        sendAppends(peer.getKey(), peer.getValue(), newRound);
      }
    }
    if (unsynced) {
      syncStorage();
    }
    if (role == Role.LEADER) {
      advanceCommit();
    }
    sendPendingAcks();
  }

  private void syncStorage() {
    if (!settings.has(Bug.NO_FSYNC)) {
      ctx.storage().sync();
    }
    unsynced = false;
    syncedIndex = log.lastIndex();
  }

  private void sendPendingAcks() {
    for (PendingAck ack : pendingAcks) {
      AppendEntriesResponse r = ack.response();
      // An acknowledgement computed in an older term, or for entries truncated since, would now
      // claim something false; drop it, the leader will ask again.
      boolean stillTrue = r.term() == term
          && (!r.success() || r.matchIndex() <= log.snapshotIndex() || log.term(r.matchIndex()) == ack.matchTerm());
      if (stillTrue) {
        ctx.send(ack.to(), r);
      }
    }
    pendingAcks.clear();
  }

  // ---------------------------------------------------------------- elections

  private void resetElectionTimer() {
    if (electionTimer != null) {
      electionTimer.cancel();
    }
    long minMicros = settings.electionTimeoutMs() * 1000L;
    long micros = minMicros + ctx.random().nextInt((int) Math.min(Integer.MAX_VALUE, minMicros));
    electionTag = new TimerTag(TimerKind.ELECTION, ++timerSerial);
    electionTimer = ctx.schedule(Duration.ofNanos(micros * 1000L), electionTag);
  }

  private void cancelElectionTimer() {
    if (electionTimer != null) {
      electionTimer.cancel();
    }
    electionTimer = null;
    electionTag = null;
  }

  /** Asks the others whether this node could win the next term, without disturbing anyone. */
  private void startPreVote() {
    changeRole(Role.PRE_CANDIDATE);
    leader = null;
    votes.clear();
    votes.add(id);
    answered.clear();
    resetElectionTimer();
    askForVotes();
    if (votes.size() >= quorum) {
      startElection();
    }
  }

  private void startElection() {
    setTerm(term + 1);
    changeRole(Role.CANDIDATE);
    votedFor = id;
    persistHardState();
    leader = null;
    votes.clear();
    votes.add(id);
    answered.clear();
    resetElectionTimer();
    askForVotes();
    if (votes.size() >= quorum) {
      becomeLeader();
    }
  }

  /**
   * Sends RequestVote to every peer that has not answered yet, and again each heartbeat interval
   * until it does: a lost request would otherwise cost a whole election timeout.
   */
  private void askForVotes() {
    boolean preVote = role == Role.PRE_CANDIDATE;
    RequestVote request =
        new RequestVote(preVote ? term + 1 : term, id, log.lastIndex(), log.lastTerm(), preVote);
    for (String peer : peers) {
      if (!answered.contains(peer)) {
        ctx.send(peer, request);
      }
    }
    cancelVoteRetry();
    voteRetryTag = new TimerTag(TimerKind.VOTE_RETRY, ++timerSerial);
    voteRetryTimer = ctx.schedule(Duration.ofMillis(settings.heartbeatMs()), voteRetryTag);
  }

  private void cancelVoteRetry() {
    if (voteRetryTimer != null) {
      voteRetryTimer.cancel();
    }
    voteRetryTimer = null;
    voteRetryTag = null;
  }

  /**
   * True while this node must not help elect anyone else: it is the leader, or it heard from one
   * less than a minimum election timeout ago. This is what keeps a rejoining node's pre-vote from
   * unseating a healthy leader, and what makes a leader's lease safe.
   */
  private boolean leaderRecentlyHeard() {
    if (role == Role.LEADER) {
      return true;
    }
    return leaderContactKnown
        && ctx.monotonicNanos() - lastLeaderContact < settings.electionTimeoutNanos();
  }

  private void noteLeaderContact() {
    leaderContactKnown = true;
    lastLeaderContact = ctx.monotonicNanos();
  }

  private void onRequestVote(String from, RequestVote m) {
    if (m.term() < term || leaderRecentlyHeard()) {
      ctx.send(from, new RequestVoteResponse(term, false, m.preVote()));
      return;
    }
    if (m.preVote()) {
      // Neither the term nor the vote changes: a pre-vote only predicts the real one.
      boolean grant = m.term() > term && logUpToDate(m);
      ctx.send(from, new RequestVoteResponse(grant ? m.term() : term, grant, true));
      return;
    }
    if (m.term() > term) {
      becomeFollower(m.term(), null);
    }
    boolean grant = (votedFor == null || votedFor.equals(m.candidate())) && logUpToDate(m);
    if (grant) {
      if (votedFor == null) {
        votedFor = m.candidate();
        persistHardState();
      }
      resetElectionTimer();
    }
    ctx.send(from, new RequestVoteResponse(term, grant, false));
  }

  private boolean logUpToDate(RequestVote m) {
    return m.lastLogTerm() > log.lastTerm()
        || (m.lastLogTerm() == log.lastTerm() && m.lastLogIndex() >= log.lastIndex());
  }

  private void onRequestVoteResponse(String from, RequestVoteResponse m) {
    if (m.preVote()) {
      if (role == Role.PRE_CANDIDATE) {
        answered.add(from);
      }
      if (m.granted()) {
        if (role == Role.PRE_CANDIDATE && m.term() == term + 1) {
          votes.add(from);
          if (votes.size() >= quorum) {
            startElection();
          }
        }
      } else if (m.term() > term) {
        becomeFollower(m.term(), null);
      }
      return;
    }
    if (m.term() > term) {
      becomeFollower(m.term(), null);
      return;
    }
    if (role == Role.CANDIDATE && m.term() == term) {
      answered.add(from);
    }
    if (role == Role.CANDIDATE && m.term() == term && m.granted()) {
      votes.add(from);
      if (votes.size() >= quorum) {
        becomeLeader();
      }
    }
  }

  private void becomeLeader() {
    changeRole(Role.LEADER);
    leader = id;
    cancelElectionTimer();
    cancelVoteRetry();
    clearLeaderState();
    long now = leaseNow();
    for (String peer : peers) {
      progress.put(peer, new Progress(log.lastIndex() + 1, now));
    }
    // Entries of earlier terms commit only under an entry of this one (Raft §5.4.2).
    Entry noop = new Entry(log.lastIndex() + 1, term, new Command.Noop());
    appendAsLeader(noop);
    noopIndex = noop.index();
    roundWanted = true;
    scheduleHeartbeat();
  }

  /**
   * Moves to {@code newTerm} (if higher, durably, forgetting the vote) as a follower of {@code
   * newLeader} (null: unknown). A leader that steps down answers what it still holds.
   */
  private void becomeFollower(long newTerm, String newLeader) {
    if (newTerm > term) {
      setTerm(newTerm);
      votedFor = null;
      persistHardState();
    }
    Role old = role;
    changeRole(Role.FOLLOWER);
    leader = newLeader;
    votes.clear();
    cancelVoteRetry();
    if (old == Role.LEADER) {
      stepDown(newLeader);
    }
    if (electionTimer == null) {
      resetElectionTimer();
    }
  }

  private void setTerm(long newTerm) {
    assert newTerm > term;
    ctx.log("raft: term " + term + " -> " + newTerm);
    term = newTerm;
  }

  private void changeRole(Role next) {
    if (role != next) {
      ctx.log("raft: " + role.wireName + " -> " + next.wireName + " in term " + term);
      role = next;
    }
  }

  private String persistedVote() {
    return settings.has(Bug.FORGET_VOTE) ? null : votedFor;
  }

  /** Term and vote are synced at once: they are rare, and a vote must be durable before it is sent. */
  private void persistHardState() {
    String vote = persistedVote();
    assert term > persistedTerm || persistedVoteInTerm == null || persistedVoteInTerm.equals(vote)
        : "a second vote in term " + term + ": " + persistedVoteInTerm + " then " + vote;
    ctx.storage().append(Records.hardState(term, vote));
    syncStorage();
    persistedTerm = term;
    persistedVoteInTerm = vote;
  }

  // ---------------------------------------------------------------- leader: replication

  private void scheduleHeartbeat() {
    heartbeatTag = new TimerTag(TimerKind.HEARTBEAT, ++timerSerial);
    heartbeatTimer = ctx.schedule(Duration.ofMillis(settings.heartbeatMs()), heartbeatTag);
  }

  private void onHeartbeat() {
    // Check-quorum: a leader that has not heard from a majority within an election timeout may have
    // been replaced; it stops acting as leader rather than keep answering.
    long now = leaseNow();
    int heard = 1;
    for (Progress p : progress.values()) {
      if (now - p.lastHeard < settings.electionTimeoutNanos()) {
        heard++;
      }
    }
    if (heard < quorum) {
      ctx.log("raft: stepping down, heard from " + heard + " of " + (peers.size() + 1)
          + " within the election timeout");
      becomeFollower(term, null);
      return;
    }
    scheduleHeartbeat();
    startRound();
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
  private void sendAppends(String peer, Progress p, boolean mustSend) {
    boolean sent = false;
    long window = (long) PIPELINE_BATCHES * settings.maxBatch();
    while (!(sent && p.probing)) {
      if (p.nextIndex <= log.snapshotIndex()) {
        ctx.send(peer, new InstallSnapshot(term, id, log.snapshotIndex(), log.snapshotTerm(),
            snapshotState, round));
        p.probing = true; // the rest follows its acknowledgement
        return;
      }
      if (p.nextIndex > log.lastIndex() || (!p.probing && p.nextIndex - p.matchIndex - 1 >= window)) {
        break;
      }
      sendAppend(peer, p, log.slice(p.nextIndex, settings.maxBatch()));
      sent = true;
    }
    if (!sent && mustSend) {
      sendAppend(peer, p, List.of());
    }
  }

  private void sendAppend(String peer, Progress p, List<Entry> entries) {
    long prev = p.nextIndex - 1;
    ctx.send(peer, new AppendEntries(term, id, prev, log.term(prev), entries, commitIndex, round));
    if (!p.probing) {
      p.nextIndex += entries.size(); // pipelining: assume it arrives
    }
  }

  private void onAppendEntriesResponse(String from, AppendEntriesResponse m) {
    if (m.term() > term) {
      becomeFollower(m.term(), null);
      return;
    }
    Progress p = progress.get(from);
    if (role != Role.LEADER || m.term() < term || p == null) {
      return;
    }
    heard(p, m.round());
    if (m.success()) {
      // Capped: only a planted bug (two leaders in one term) could make a follower claim more.
      p.matchIndex = Math.max(p.matchIndex, Math.min(m.matchIndex(), log.lastIndex()));
      p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
      p.probing = false;
      advanceCommit();
      if (role == Role.LEADER) {
        sendAppends(from, p, false);
      }
      return;
    }
    long next = Math.max(p.matchIndex + 1, Math.min(m.conflictIndex(), log.lastIndex() + 1));
    // Only a rejection that teaches something is answered at once. A stale or duplicated one would
    // otherwise breed a message per message, forever if the follower lost what it acknowledged;
    // the heartbeat retries anyway.
    if (next < p.nextIndex) {
      p.nextIndex = next;
      p.probing = true;
      sendAppends(from, p, false);
    }
  }

  private void onInstallSnapshotResponse(String from, InstallSnapshotResponse m) {
    if (m.term() > term) {
      becomeFollower(m.term(), null);
      return;
    }
    Progress p = progress.get(from);
    if (role != Role.LEADER || m.term() < term || p == null) {
      return;
    }
    heard(p, m.round());
    p.matchIndex = Math.max(p.matchIndex, Math.min(m.lastIncludedIndex(), log.lastIndex()));
    p.nextIndex = Math.max(p.nextIndex, p.matchIndex + 1);
    p.probing = false;
    advanceCommit();
    if (role == Role.LEADER) {
      sendAppends(from, p, false);
    }
  }

  /** The follower answered in this term: it still takes this node for its leader. */
  private void heard(Progress p, long ackedRound) {
    p.lastHeard = leaseNow();
    p.heardSinceTick = true;
    if (ackedRound > p.ackedRound) {
      p.ackedRound = Math.min(ackedRound, round);
      confirmRounds();
    }
  }

  /** Commits the highest index a majority holds durably, if it is of this term (Raft §5.4.2). */
  private void advanceCommit() {
    long majority = heldByQuorum(syncedIndex, p -> p.matchIndex);
    if (majority > commitIndex && log.term(majority) == term) {
      commitTo(majority);
    }
  }

  /**
   * The highest value that a majority, this node included, has reached: with this node's own value
   * and each follower's, the quorum-th largest.
   */
  private long heldByQuorum(long own, ToLongFunction<Progress> followers) {
    long[] values = new long[peers.size() + 1];
    values[0] = own;
    int i = 1;
    for (Progress p : progress.values()) {
      values[i++] = followers.applyAsLong(p);
    }
    Arrays.sort(values);
    return values[values.length - quorum];
  }

  // ---------------------------------------------------------------- leader: rounds, reads, lease

  /** The clock the lease and check-quorum run on: monotonic, unless the wall-clock bug is planted. */
  private long leaseNow() {
    return settings.has(Bug.LEASE_WALLCLOCK) ? ctx.wallMillis() * 1_000_000L : ctx.monotonicNanos();
  }

  /** Begins a confirmation round: every AppendEntries sent from now on carries its number. */
  private void startRound() {
    round++;
    roundStarts.put(round, leaseNow());
    roundWanted = false;
    confirmRounds();
  }

  /**
   * The highest round a majority (this node included) has answered proves this node was leader when
   * that round began: reads waiting for it may proceed, and the lease runs from that beginning.
   */
  private void confirmRounds() {
    long confirmed = heldByQuorum(round, p -> p.ackedRound);
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

  /**
   * The lease: no other leader can exist until a minimum election timeout (less the drift margin)
   * after a round that a majority answered began, because each of them refuses to vote for that
   * long after hearing from this node.
   */
  private boolean leaseValid() {
    return leaseHeld && leaseNow() - leaseStart < settings.leaseNanos();
  }

  private void answerReads() {
    while (!pendingReads.isEmpty()) {
      PendingRead read = pendingReads.peek();
      if (read.round() > confirmedRound || read.readIndex() > lastApplied) {
        return;
      }
      pendingReads.poll();
      read.responder().done(kv.get(read.key()));
    }
  }

  /**
   * Stops being leader. Writes still pending may yet commit under the next leader, so they are
   * unknown; a pending read changed nothing and never will, so it certainly did not happen.
   */
  private void stepDown(String newLeader) {
    if (heartbeatTimer != null) {
      heartbeatTimer.cancel();
    }
    heartbeatTimer = null;
    heartbeatTag = null;
    for (PendingWrite write : pendingWrites.values()) {
      write.responder().unknown("leadership lost");
    }
    for (PendingRead read : pendingReads) {
      read.responder().notDone("leadership lost", newLeader);
    }
    clearLeaderState();
  }

  private void clearLeaderState() {
    progress.clear();
    pendingWrites.clear();
    pendingReads.clear();
    noopIndex = 0;
    round = 0;
    confirmedRound = 0;
    roundWanted = false;
    roundStarts.clear();
    leaseHeld = false;
    leaseStart = 0;
  }

  // ---------------------------------------------------------------- follower: replication

  private void onAppendEntries(String from, AppendEntries m) {
    if (m.term() < term) {
      // Tells a deposed leader about the newer term.
      ctx.send(from, new AppendEntriesResponse(term, false, 0, 0, 0, m.round()));
      return;
    }
    if (role == Role.LEADER && m.term() == term) {
      assert settings.invariantsMayBreak() : "two leaders in term " + term + ": " + id + " and " + from;
      return;
    }
    if (m.term() > term || role != Role.FOLLOWER || !m.leader().equals(leader)) {
      becomeFollower(m.term(), m.leader());
    }
    noteLeaderContact();
    resetElectionTimer();

    long prev = m.prevLogIndex();
    long prevTerm = m.prevLogTerm();
    List<Entry> entries = m.entries();
    if (prev < log.snapshotIndex()) {
      // Our snapshot covers a committed prefix, identical on every replica: skip what it covers.
      int skip = (int) Math.min(entries.size(), log.snapshotIndex() - prev);
      if (skip == entries.size()) {
        queueAck(from, new AppendEntriesResponse(term, true, log.snapshotIndex(), 0, 0, m.round()));
        return;
      }
      prevTerm = entries.get(skip - 1).term(); // skip >= 1, as prev is below the snapshot
      entries = entries.subList(skip, entries.size());
      prev = log.snapshotIndex();
    }
    if (prev > log.lastIndex()) {
      queueAck(from, new AppendEntriesResponse(term, false, 0, log.lastIndex() + 1, 0, m.round()));
      return;
    }
    long localTerm = log.term(prev);
    if (localTerm != prevTerm) {
      queueAck(from, new AppendEntriesResponse(
          term, false, 0, log.firstIndexOfTermAt(prev), localTerm, m.round()));
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
      ctx.storage().append(Records.entries(appended));
      unsynced = true;
    }
    long lastNew = prev + entries.size();
    assert entries.isEmpty() || log.term(lastNew) == entries.get(entries.size() - 1).term()
        : "log does not match what the leader sent at " + lastNew;
    if (m.leaderCommit() > commitIndex) {
      commitTo(Math.max(commitIndex, Math.min(m.leaderCommit(), lastNew)));
    }
    queueAck(from, new AppendEntriesResponse(term, true, lastNew, 0, 0, m.round()));
  }

  private void truncateFrom(long index) {
    assert index > commitIndex || settings.invariantsMayBreak()
        : "truncating committed entry " + index + " (commit " + commitIndex + ")";
    log.truncateFrom(index);
    ctx.storage().append(Records.truncateFrom(index));
    unsynced = true;
    syncedIndex = Math.min(syncedIndex, index - 1);
  }

  /** Every answer to AppendEntries waits for the flush, so that it follows the sync it depends on. */
  private void queueAck(String to, AppendEntriesResponse response) {
    long matchTerm = response.success() ? log.term(response.matchIndex()) : 0;
    pendingAcks.add(new PendingAck(to, response, matchTerm));
    scheduleFlush();
  }

  private void onInstallSnapshot(String from, InstallSnapshot m) {
    if (m.term() < term) {
      ctx.send(from, new InstallSnapshotResponse(term, 0, m.round()));
      return;
    }
    if (role == Role.LEADER && m.term() == term) {
      assert settings.invariantsMayBreak() : "two leaders in term " + term + ": " + id + " and " + from;
      return;
    }
    if (m.term() > term || role != Role.FOLLOWER || !m.leader().equals(leader)) {
      becomeFollower(m.term(), m.leader());
    }
    noteLeaderContact();
    resetElectionTimer();
    long index = m.lastIncludedIndex();
    if (index <= commitIndex) {
      // Already have all of it (committed entries are the same everywhere). Never claim more than
      // the log holds: only a planted bug could make the two differ.
      ctx.send(from, new InstallSnapshotResponse(term, Math.min(index, log.lastIndex()), m.round()));
      return;
    }
    if (log.term(index) == m.lastIncludedTerm()) {
      log.compact(index, m.lastIncludedTerm()); // what follows may still be good: keep it
    } else {
      log.reset(index, m.lastIncludedTerm());
    }
    snapshotState = m.state();
    kv = new KvStore(snapshotState);
    commitIndex = index;
    lastApplied = index;
    rewriteStorage();
    ctx.log("raft: installed snapshot at index " + index + " (term " + m.lastIncludedTerm() + ") from " + from);
    ctx.send(from, new InstallSnapshotResponse(term, index, m.round()));
  }

  // ---------------------------------------------------------------- commit, apply, snapshot

  private void commitTo(long index) {
    assert index >= commitIndex : "commit index going back from " + commitIndex + " to " + index;
    commitIndex = index;
    while (lastApplied < commitIndex) {
      Entry entry = log.entry(lastApplied + 1);
      String refusal = kv.apply(entry.command());
      lastApplied = entry.index();
      observer.applied(entry);
      PendingWrite write = pendingWrites.remove(entry.index());
      if (write != null) {
        assert write.term() == entry.term() : "a pending write outlived its leader's term";
        if (refusal == null) {
          write.responder().done(null);
        } else {
          // The entry committed but changed nothing (a cas mismatch, a command on a key of the
          // other kind): it certainly did not happen.
          write.responder().notDone(refusal, null);
        }
      }
    }
    assert lastApplied <= commitIndex;
    answerReads();
    if (lastApplied - log.snapshotIndex() >= settings.snapshotEvery()) {
      takeSnapshot();
    }
  }

  private void takeSnapshot() {
    long index = lastApplied;
    long snapTerm = log.term(index);
    snapshotState = kv.image();
    log.compact(index, snapTerm);
    rewriteStorage();
    ctx.log("raft: snapshot at index " + index + " (term " + snapTerm + "), " + kv.size() + " keys");
  }

  /** Compacts storage to [snapshot, hard state, retained entries], atomically and durably. */
  private void rewriteStorage() {
    List<byte[]> records = new ArrayList<>(3);
    records.add(Records.snapshot(log.snapshotIndex(), log.snapshotTerm(), snapshotState));
    records.add(Records.hardState(term, persistedVote()));
    List<Entry> retained = log.retained();
    if (!retained.isEmpty()) {
      records.add(Records.entries(retained));
    }
    ctx.storage().rewrite(records);
    unsynced = false;
    syncedIndex = log.lastIndex();
  }

  // ---------------------------------------------------------------- helpers

  private static Long asLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big && big.bitLength() < 64) {
      return big.longValue();
    }
    return null;
  }

  private static String show(Object value) {
    return value == null ? "nothing" : value + " (" + value.getClass().getSimpleName() + ")";
  }

  // ---------------------------------------------------------------- for tests in this package

  void observeApplies(ApplyObserver applyObserver) {
    this.observer = applyObserver;
  }

  Role role() {
    return role;
  }

  long term() {
    return term;
  }

  String votedFor() {
    return votedFor;
  }

  String leader() {
    return leader;
  }

  long commitIndex() {
    return commitIndex;
  }

  long lastApplied() {
    return lastApplied;
  }

  long lastIndex() {
    return log.lastIndex();
  }

  long snapshotIndex() {
    return log.snapshotIndex();
  }

  /** As a read answers: null, a Long, or a set's elements as an ascending list. */
  Object valueOf(String key) {
    return kv.get(key);
  }

  SortedMap<String, Object> state() {
    return kv.image();
  }

  /** The entries this replica still holds after its snapshot. */
  List<Entry> entries() {
    return log.retained();
  }
}
