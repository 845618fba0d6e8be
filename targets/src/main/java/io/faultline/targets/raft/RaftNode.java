package io.faultline.targets.raft;

import io.faultline.targets.kv.Command;
import io.faultline.targets.kv.KvStore;
import io.faultline.targets.kv.KvRequests;

import io.faultline.targets.node.Observation;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.Timer;
import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One Raft replica of a key/value store: election with pre-vote and check-quorum, pipelined and
 * batched log replication, group commit, ReadIndex or lease reads, snapshots, and recovery from its
 * storage records ({@link Records}).
 *
 * <p>This class is the shell: the state every part of the protocol shares, start and recovery, the
 * dispatch of messages, timers and client requests, and the helpers that persist the hard state and
 * compact storage. The protocol itself is in its parts, each holding a reference to this shell:
 * {@link Election}, {@link Replication}, {@link Snapshots} and {@link Reads}. They run on the node's
 * one thread like the shell, so they read and write its fields directly.
 *
 * <p>Durability rules, which every change keeps:
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

  enum TimerKind { ELECTION, HEARTBEAT, FLUSH, VOTE_RETRY }

  /** A timer's tag. The serial is never reused, even across restarts, so a stale timer never matches. */
  record TimerTag(TimerKind kind, long serial) {}

  final RaftSettings settings;
  final Election election = new Election(this);
  final Replication replication = new Replication(this);
  final Snapshots snapshots = new Snapshots(this);
  final Reads reads = new Reads(this);
  private long timerSerial;
  ApplyObserver observer = entry -> {};

  NodeContext ctx;
  String id;
  List<String> peers;
  int quorum;

  // Persistent state: mirrored in storage records as it changes.
  long term;
  String votedFor;
  /** What storage holds, to assert that no term ever gets two votes there. */
  private long persistedTerm;
  private String persistedVoteInTerm;
  RaftLog log;
  SortedMap<String, Object> snapshotState;

  // Volatile state, rebuilt by start().
  KvStore kv;
  Role role;
  String leader;
  long commitIndex;
  long lastApplied;
  long syncedIndex;
  boolean unsynced;

  RaftNode(RaftSettings settings) {
    this.settings = settings;
  }

  // ---------------------------------------------------------------- node seam

  @Override
  public void start(NodeContext context) {
    ctx = context;
    id = context.id();
    List<String> members = context.members();
    context.position(); // refuses a context this node is not a member of
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
    election.reset();
    replication.reset();
    reads.reset();
    syncedIndex = log.lastIndex();
    unsynced = false;
    if (!records.isEmpty()) {
      // What was read back may sit only in a cache; make it durable before acting on it.
      syncStorage();
    }
    election.arm();
    ctx.log("raft: started as follower, term " + term + ", vote " + votedFor + ", snapshot "
        + log.snapshotIndex() + ", last index " + log.lastIndex());
    // What it restored: the same as every other node's state at that index.
    if (log.snapshotIndex() > 0) {
      ctx.observe(new Observation(Observation.STATE, log.snapshotTerm(), log.snapshotIndex(), kv.digest()));
    }
  }

  @Override
  public void onMessage(String from, Message message) {
    if (ctx == null || !peers.contains(from)) {
      return;
    }
    if (message instanceof AppendEntries m) {
      replication.onAppendEntries(from, m);
    } else if (message instanceof AppendEntriesResponse m) {
      replication.onAppendEntriesResponse(from, m);
    } else if (message instanceof RequestVote m) {
      election.onRequestVote(from, m);
    } else if (message instanceof RequestVoteResponse m) {
      election.onRequestVoteResponse(from, m);
    } else if (message instanceof InstallSnapshot m) {
      snapshots.onInstallSnapshot(from, m);
    } else if (message instanceof InstallSnapshotResponse m) {
      snapshots.onInstallSnapshotResponse(from, m);
    }
  }

  /** Each part owns its timers and ignores a tag that is no longer its current one. */
  @Override
  public void onTimer(Timer timer) {
    if (ctx == null || !(timer.tag() instanceof TimerTag tag)) {
      return;
    }
    switch (tag.kind()) {
      case ELECTION -> election.onElectionTimer(tag);
      case HEARTBEAT -> replication.onHeartbeatTimer(tag);
      case FLUSH -> replication.onFlushTimer(tag);
      case VOTE_RETRY -> election.onVoteRetryTimer(tag);
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
      case "read" -> reads.onRead(request, responder);
      case "txn" -> {
        Command.Txn txn;
        try {
          txn = KvRequests.txn(request);
        } catch (IllegalArgumentException e) {
          responder.notDone(e.getMessage(), null);
          return;
        }
        // A transaction that only reads is served as a read is (ReadIndex or the lease), as a real
        // store serves it; one that writes is one log entry, applied atomically.
        if (txn.readOnly()) {
          reads.read(txn, responder);
        } else {
          replication.propose(txn, responder);
        }
      }
      case "write", "cas", "add", "transfer" -> {
        Command command;
        try {
          command = KvRequests.command(request);
        } catch (IllegalArgumentException e) {
          responder.notDone(e.getMessage(), null);
          return;
        }
        replication.propose(command, responder);
      }
      default -> responder.notDone(KvRequests.unknownOperation(request.f()), null);
    }
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

  // ---------------------------------------------------------------- shared by the parts

  /** A tag for a new timer of {@code kind}; the serial counts on across restarts of this object. */
  TimerTag newTimerTag(TimerKind kind) {
    return new TimerTag(kind, ++timerSerial);
  }

  /** The clock the lease and check-quorum run on: monotonic, unless the wall-clock bug is planted. */
  long leaseNow() {
    return settings.has(RaftBug.LEASE_WALLCLOCK) ? ctx.wallMillis() * 1_000_000L : ctx.monotonicNanos();
  }

  /** Forgets everything that only a leader keeps: its followers' progress, pending requests, rounds, lease. */
  void clearLeaderState() {
    replication.clearLeaderState();
    reads.clearLeaderState();
  }

  // ---------------------------------------------------------------- persistence

  /** Syncs what was appended; afterwards everything in the log counts as durable. */
  void syncStorage() {
    if (!settings.has(RaftBug.NO_FSYNC)) {
      ctx.storage().sync();
    }
    unsynced = false;
    syncedIndex = log.lastIndex();
  }

  private String persistedVote() {
    return settings.has(RaftBug.FORGET_VOTE) ? null : votedFor;
  }

  /** Term and vote are synced at once: they are rare, and a vote must be durable before it is sent. */
  void persistHardState() {
    String vote = persistedVote();
    assert term > persistedTerm || persistedVoteInTerm == null || persistedVoteInTerm.equals(vote)
        : "a second vote in term " + term + ": " + persistedVoteInTerm + " then " + vote;
    ctx.storage().append(Records.hardState(term, vote));
    syncStorage();
    persistedTerm = term;
    persistedVoteInTerm = vote;
  }

  /** Compacts storage to [snapshot, hard state, retained entries], atomically and durably. */
  void rewriteStorage() {
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
