package io.faultline.targets.paxos;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Responder;
import io.faultline.targets.kv.Command;
import io.faultline.targets.kv.KvRequests;
import io.faultline.targets.kv.KvStore;
import io.faultline.targets.node.GroupCommit;
import io.faultline.targets.node.Message;
import io.faultline.targets.node.Node;
import io.faultline.targets.node.NodeContext;
import io.faultline.targets.node.Observation;
import io.faultline.targets.node.Timer;
import io.faultline.targets.paxos.PaxosMessage.Accept;
import io.faultline.targets.paxos.PaxosMessage.Accepted;
import io.faultline.targets.paxos.PaxosMessage.AcceptedValue;
import io.faultline.targets.paxos.PaxosMessage.CatchUp;
import io.faultline.targets.paxos.PaxosMessage.CatchUpReply;
import io.faultline.targets.paxos.PaxosMessage.ChosenValue;
import io.faultline.targets.paxos.PaxosMessage.Heartbeat;
import io.faultline.targets.paxos.PaxosMessage.HeartbeatAck;
import io.faultline.targets.paxos.PaxosMessage.Learn;
import io.faultline.targets.paxos.PaxosMessage.Prepare;
import io.faultline.targets.paxos.PaxosMessage.Promise;
import io.faultline.targets.paxos.PaxosMessage.Reject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One Multi-Paxos replica of a key/value store: proposer, acceptor and learner at once.
 *
 * <p>A stable leader (the distinguished proposer) runs phase 1 once for every slot it has not seen
 * chosen, with one ballot; then phase 2 per slot. A new leader first catches up with the furthest
 * promiser, then re-proposes in each unfinished slot the highest-ballot value its promises
 * reported, fills the gaps with no-ops, and only then serves new commands. Learners hear chosen
 * values from the leader and ask for what they missed; checkpoints (the state, then the log
 * truncated) bound the log, and a learner behind a checkpoint is sent it.
 *
 * <p>Durability rules: a promise is synced before the promise is sent (or anything accepted under
 * it); an accepted value is synced before Accepted is sent; a leader counts itself towards a quorum
 * only after its own sync. Syncs are grouped: what arrives in one turn of the event loop is synced
 * together by a zero-delay flush timer, and the answers that wait for it go out after it.
 *
 * <p>Reads go through the log ({@code read=log}, a read is a slot) or, with {@code read=lease}, are
 * answered by a leader that a quorum acknowledged within the lease; an acceptor then promises no
 * other proposer until an election timeout has passed since it last heard the leader (and since it
 * started), which is what makes the lease safe on the monotonic clock.
 */
public final class PaxosNode implements Node {

  enum Role {
    FOLLOWER("follower"),
    CANDIDATE("candidate"),
    LEADER("leader");

    final String wireName;

    Role(String wireName) {
      this.wireName = wireName;
    }
  }

  enum TimerKind { ELECTION, HEARTBEAT }

  /** A timer's tag; the serial is never reused, even across restarts, so a stale timer never matches. */
  record TimerTag(TimerKind kind, long serial) {}

  /** A value this leader proposed in a slot, the acceptors that accepted it, and who waits for it. */
  private static final class Proposal {
    final Command command;
    final Responder responder;
    final TreeSet<String> acks = new TreeSet<>();
    boolean chosen;

    Proposal(Command command, Responder responder) {
      this.command = command;
      this.responder = responder;
    }
  }

  private final PaxosSettings settings;
  private long timerSerial;

  private NodeContext ctx;
  private String id;
  private List<String> members;
  private List<String> peers;
  private int me;
  private int quorum;

  // Acceptor: persistent.
  private Ballot promised;
  private final TreeMap<Long, AcceptedValue> accepted = new TreeMap<>();

  // Learner: chosen values past the checkpoint (applied or not), persistent but re-learnable.
  private final TreeMap<Long, Command> chosen = new TreeMap<>();
  private long checkpointIndex;
  private SortedMap<String, Object> checkpointState;
  private KvStore kv;
  private long applied;

  // Proposer.
  private Role role;
  private Ballot ballot;
  private String leader;
  private long lastHeardNanos;
  private long startedNanos;
  private long highestRoundSeen;
  private final Map<String, Promise> promises = new TreeMap<>();
  private long recoveryBase = -1;
  private long leadingSinceNanos;
  private long servingFrom;
  private long nextSlot;
  private final TreeMap<Long, Proposal> proposals = new TreeMap<>();
  private final TreeMap<String, Long> heartbeatAckedSentNanos = new TreeMap<>();
  private final TreeMap<String, Long> heardFromPeerNanos = new TreeMap<>();
  private long lastCatchUpNanos;
  /** The furthest slot this node has heard is chosen: how far a catch-up goes on. */
  private long catchUpTarget;

  // Timers and group commit.
  private TimerTag electionTag;
  private Timer electionTimer;
  private TimerTag heartbeatTag;
  private GroupCommit storage;

  PaxosNode(PaxosSettings settings) {
    this.settings = settings;
  }

  // ---------------------------------------------------------------- node seam

  @Override
  public void start(NodeContext context) {
    ctx = context;
    id = context.id();
    members = List.copyOf(context.members());
    me = context.position();
    peers = new ArrayList<>(members);
    peers.remove(id);
    quorum = settings.has(PaxosBug.SMALL_QUORUM) ? Math.max(1, members.size() / 2) : members.size() / 2 + 1;

    List<byte[]> records = context.storage().readAll();
    PaxosRecords.Recovered r = PaxosRecords.recover(records);
    promised = r.promised();
    accepted.clear();
    accepted.putAll(r.accepted());
    chosen.clear();
    chosen.putAll(r.chosen());
    checkpointIndex = r.checkpointIndex();
    checkpointState = r.checkpointState();
    kv = new KvStore(checkpointState);
    applied = checkpointIndex;

    role = Role.FOLLOWER;
    ballot = Ballot.ZERO;
    leader = null;
    highestRoundSeen = promised.round();
    promises.clear();
    proposals.clear();
    recoveryBase = -1;
    heartbeatAckedSentNanos.clear();
    heardFromPeerNanos.clear();
    storage = new GroupCommit(context);
    heartbeatTag = null;
    startedNanos = ctx.monotonicNanos();
    lastHeardNanos = Long.MIN_VALUE / 2;
    lastCatchUpNanos = Long.MIN_VALUE / 2;
    catchUpTarget = 0;
    if (!records.isEmpty()) context.storage().sync(); // what was read back may sit only in a cache
    if (checkpointIndex > 0) {
      ctx.observe(new Observation(Observation.STATE, 0, checkpointIndex, kv.digest()));
    }
    applyChosen();
    armElection();
    ctx.log("paxos: started, promised " + promised + ", checkpoint " + checkpointIndex + ", applied " + applied
        + ", " + accepted.size() + " accepted past it");
  }

  @Override
  public void onMessage(String from, Message message) {
    if (ctx == null || !peers.contains(from) || !(message instanceof PaxosMessage m)) return;
    heardFromPeerNanos.put(from, ctx.monotonicNanos());
    if (m instanceof Prepare p) {
      onPrepare(from, p);
    } else if (m instanceof Promise p) {
      onPromise(from, p);
    } else if (m instanceof Accept a) {
      onAccept(from, a);
    } else if (m instanceof Accepted a) {
      onAccepted(from, a);
    } else if (m instanceof Reject r) {
      onReject(r);
    } else if (m instanceof Learn l) {
      onLearn(from, l);
    } else if (m instanceof Heartbeat h) {
      onHeartbeat(from, h);
    } else if (m instanceof HeartbeatAck a) {
      if (role == Role.LEADER && a.ballot().equals(ballot)) heartbeatAckedSentNanos.merge(from, a.sentNanos(), Math::max);
    } else if (m instanceof CatchUp c) {
      onCatchUp(from, c);
    } else if (m instanceof CatchUpReply c) {
      onCatchUpReply(from, c);
    }
  }

  @Override
  public void onTimer(Timer timer) {
    if (ctx == null || storage.onTimer(timer) || !(timer.tag() instanceof TimerTag tag)) return;
    switch (tag.kind()) {
      case ELECTION -> {
        if (tag.equals(electionTag)) onElectionTimer();
      }
      case HEARTBEAT -> {
        if (tag.equals(heartbeatTag) && role == Role.LEADER) onHeartbeatTimer();
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
      case "txn" -> {
        Command.Txn txn;
        try {
          txn = KvRequests.txn(request);
        } catch (IllegalArgumentException e) {
          responder.notDone(e.getMessage(), null);
          return;
        }
        // A transaction that only reads is served as a read is (the log or the lease); one that
        // writes is one slot, applied atomically.
        if (txn.readOnly()) {
          read(txn, responder);
        } else if (!serving()) {
          responder.notDone("not the leader", role == Role.LEADER ? null : leader);
        } else {
          propose(nextSlot++, txn, responder);
        }
      }
      default -> {
        if (!KvRequests.isWrite(request.f())) {
          responder.notDone(KvRequests.unknownOperation(request.f()), null);
          return;
        }
        Command command;
        try {
          command = KvRequests.command(request);
        } catch (IllegalArgumentException e) {
          responder.notDone(e.getMessage(), null);
          return;
        }
        if (!serving()) {
          responder.notDone("not the leader", role == Role.LEADER ? null : leader);
          return;
        }
        propose(nextSlot++, command, responder);
      }
    }
  }

  private void onRead(Request request, Responder responder) {
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
  private void read(Command read, Responder responder) {
    if (settings.has(PaxosBug.STALE_READ)) {
      responder.done(KvRequests.answer(kv, read));
      return;
    }
    if (!serving()) {
      responder.notDone("not the leader", role == Role.LEADER ? null : leader);
      return;
    }
    if (settings.leaseReads() && applied >= servingFrom - 1 && leaseHolds()) {
      ctx.observe(new Observation(Observation.READ, ballot.asLong(), applied, ""));
      responder.done(KvRequests.answer(kv, read));
      return;
    }
    propose(nextSlot++, read, responder);
  }

  private Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("id", id);
    status.put("role", role.wireName);
    status.put("term", role == Role.FOLLOWER ? promised.asLong() : ballot.asLong());
    status.put("ballot", (role == Role.FOLLOWER ? promised : ballot).toString());
    status.put("leader", role == Role.LEADER ? id : leader);
    status.put("applied", applied);
    status.put("checkpointIndex", checkpointIndex);
    status.put("wallMillis", ctx.wallMillis());
    return status;
  }

  // ---------------------------------------------------------------- election (phase 1)

  private void onElectionTimer() {
    long now = ctx.monotonicNanos();
    if (role == Role.LEADER) {
      // Check-quorum: a leader that no quorum has heard from lately gives way.
      int heard = 1;
      for (String peer : peers) {
        Long at = heardFromPeerNanos.get(peer);
        if (at != null && now - at < electionNanos()) heard++;
      }
      if (heard < quorum) {
        stepDown("no quorum heard within an election timeout");
      } else if (recoveryBase >= 0 && now - leadingSinceNanos > 2 * electionNanos()) {
        stepDown("could not learn the slots up to " + recoveryBase + " within two election timeouts");
      }
      armElection();
      return;
    }
    if (leader != null && now - lastHeardNanos < electionNanos()) {
      armElection();
      return;
    }
    startElection();
  }

  private void startElection() {
    role = Role.CANDIDATE;
    leader = null;
    ballot = new Ballot(Math.max(highestRoundSeen, promised.round()) + 1, me);
    highestRoundSeen = ballot.round();
    promises.clear();
    promise(ballot);
    Ballot b = ballot;
    long from = applied + 1;
    storage.afterSync(() -> {
      if (role == Role.CANDIDATE && ballot.equals(b)) {
        ctx.observe(new Observation(Observation.VOTE, b.asLong(), 0, id));
        onPromise(id, new Promise(b, applied, acceptedFrom(from)));
      }
    });
    for (String peer : peers) ctx.send(peer, new Prepare(b, from));
    ctx.observe(Observation.of(Observation.ELECTION, b.asLong(), 0));
    armElection();
  }

  private void onPrepare(String from, Prepare m) {
    if (!m.ballot().atLeast(promised)) {
      ctx.send(from, new Reject(promised));
      return;
    }
    long now = ctx.monotonicNanos();
    // Under leases, promise no one else while a leader is heard, nor just after a restart (which
    // forgot when it last heard one): a lease counts on that. Without leases, a higher ballot is
    // promised at once, as Paxos has it.
    if (settings.leaseReads() && m.ballot().above(promised)) {
      boolean leaderAlive = leader != null && !leader.equals(from) && now - lastHeardNanos < electionNanos();
      if (leaderAlive || now - startedNanos < electionNanos()) return;
    }
    highestRoundSeen = Math.max(highestRoundSeen, m.ballot().round());
    if (role != Role.FOLLOWER && m.ballot().above(ballot)) stepDown("promised " + m.ballot() + " to " + from);
    if (m.ballot().above(promised)) {
      promise(m.ballot());
      leader = null;
    }
    Ballot b = m.ballot();
    storage.afterSync(() -> {
      ctx.send(from, new Promise(b, applied, acceptedFrom(m.fromSlot())));
      // A promise is a vote for the ballot's one proposer: once per ballot, as a vote is once per term.
      ctx.observe(new Observation(Observation.VOTE, b.asLong(), 0, from));
    });
  }

  private List<AcceptedValue> acceptedFrom(long slot) {
    return List.copyOf(accepted.tailMap(slot, true).values());
  }

  private void onPromise(String from, Promise m) {
    if (role != Role.CANDIDATE || !m.ballot().equals(ballot)) return;
    promises.put(from, m);
    if (promises.size() >= quorum) becomeLeader();
  }

  private void becomeLeader() {
    role = Role.LEADER;
    leader = id;
    leadingSinceNanos = ctx.monotonicNanos();
    proposals.clear();
    heartbeatAckedSentNanos.clear();
    ctx.observe(Observation.of(Observation.LEADER, ballot.asLong(), applied));
    ctx.log("paxos: leading with ballot " + ballot);
    String furthest = null;
    long base = applied;
    for (Map.Entry<String, Promise> e : promises.entrySet()) {
      if (e.getValue().applied() > base) {
        base = e.getValue().applied();
        furthest = e.getKey();
      }
    }
    scheduleHeartbeat(Duration.ZERO);
    if (furthest == null) {
      takeOver();
    } else {
      // Slots up to base are chosen but unknown here: learn them before re-proposing anything.
      recoveryBase = base;
      catchUpTarget = Math.max(catchUpTarget, base);
      ctx.log("paxos: catching up from " + furthest + ", applied " + applied + " of " + base + " chosen");
      ctx.send(furthest, new CatchUp(applied + 1));
    }
  }

  /** Re-proposes every unfinished slot the promises reported, no-ops in the gaps, then serves. */
  private void takeOver() {
    recoveryBase = -1;
    ctx.log("paxos: taking over at ballot " + ballot + " from slot " + (applied + 1));
    TreeMap<Long, AcceptedValue> highest = new TreeMap<>();
    for (Promise p : promises.values()) {
      for (AcceptedValue v : p.accepted()) {
        if (v.slot() <= applied) continue;
        AcceptedValue before = highest.get(v.slot());
        if (before == null || v.ballot().above(before.ballot())) highest.put(v.slot(), v);
      }
    }
    long last = applied;
    if (!highest.isEmpty()) last = Math.max(last, highest.lastKey());
    if (!chosen.isEmpty()) last = Math.max(last, chosen.lastKey());
    for (long slot = applied + 1; slot <= last; slot++) {
      Command known = chosen.get(slot);
      AcceptedValue reported = highest.get(slot);
      Command value;
      if (known != null) {
        value = known;
      } else if (reported != null && !settings.has(PaxosBug.IGNORE_ACCEPTED)) {
        value = reported.command();
      } else {
        value = new Command.Noop();
      }
      propose(slot, value, null);
    }
    nextSlot = last + 1;
    // A no-op of its own, so that the slots it re-proposed are applied before it answers from a lease.
    propose(nextSlot++, new Command.Noop(), null);
    servingFrom = nextSlot;
    promises.clear();
  }

  /** Whether this node takes new commands: it leads and has finished taking over. */
  private boolean serving() {
    return role == Role.LEADER && recoveryBase < 0;
  }

  private void stepDown(String why) {
    if (role == Role.FOLLOWER) return;
    for (Proposal p : proposals.values()) {
      if (p.responder != null) p.responder.unknown("leadership lost: " + why);
    }
    proposals.clear();
    promises.clear();
    recoveryBase = -1;
    role = Role.FOLLOWER;
    heartbeatTag = null;
    ctx.log("paxos: stepped down from ballot " + ballot + ": " + why);
  }

  private void onReject(Reject m) {
    highestRoundSeen = Math.max(highestRoundSeen, m.promised().round());
    if (role != Role.FOLLOWER && m.promised().above(ballot)) stepDown("an acceptor promised " + m.promised());
  }

  // ---------------------------------------------------------------- replication (phase 2)

  private void propose(long slot, Command command, Responder responder) {
    Proposal p = new Proposal(command, responder);
    proposals.put(slot, p);
    AcceptedValue v = new AcceptedValue(slot, ballot, command);
    accepted.put(slot, v);
    storage.append(PaxosRecords.accepted(v));
    Ballot b = ballot;
    storage.afterSync(() -> {
      if (role == Role.LEADER && ballot.equals(b)) acceptedBy(slot, id);
    });
    for (String peer : peers) ctx.send(peer, new Accept(b, slot, command, applied));
  }

  private void onAccept(String from, Accept m) {
    if (!m.ballot().atLeast(promised)) {
      ctx.send(from, new Reject(promised));
      return;
    }
    follow(from, m.ballot());
    if (m.slot() > applied) {
      AcceptedValue v = new AcceptedValue(m.slot(), m.ballot(), m.command());
      accepted.put(m.slot(), v);
      storage.append(PaxosRecords.accepted(v));
      storage.afterSync(() -> ctx.send(from, new Accepted(m.ballot(), m.slot())));
    } else {
      // Chosen and applied here already: the value can only be the chosen one.
      ctx.send(from, new Accepted(m.ballot(), m.slot()));
    }
    catchUpIfBehind(from, m.chosenUpTo());
  }

  /** Hearing a leader at {@code b}: promise it (durably) if that is new, and follow it. */
  private void follow(String from, Ballot b) {
    highestRoundSeen = Math.max(highestRoundSeen, b.round());
    if (role != Role.FOLLOWER && !b.equals(ballot)) stepDown("following " + from + " at " + b);
    if (b.above(promised)) {
      promise(b);
      storage.schedule();
    }
    if (role == Role.FOLLOWER) {
      leader = from;
      lastHeardNanos = ctx.monotonicNanos();
    }
  }

  private void onAccepted(String from, Accepted m) {
    if (role == Role.LEADER && m.ballot().equals(ballot)) acceptedBy(m.slot(), from);
  }

  private void acceptedBy(long slot, String acceptor) {
    Proposal p = proposals.get(slot);
    if (p == null || p.chosen) return;
    p.acks.add(acceptor);
    if (p.acks.size() < quorum) return;
    p.chosen = true;
    ctx.observe(Observation.of(Observation.COMMIT, ballot.asLong(), slot));
    List<ChosenValue> values = List.of(new ChosenValue(slot, p.command));
    for (String peer : peers) ctx.send(peer, new Learn(ballot, values));
    learn(slot, p.command);
  }

  private void onLearn(String from, Learn m) {
    for (ChosenValue v : m.values()) learn(v.slot(), v.command());
    if (!m.values().isEmpty()) catchUpIfBehind(from, m.values().get(m.values().size() - 1).slot());
  }

  private void learn(long slot, Command command) {
    if (slot <= applied || chosen.containsKey(slot)) return;
    chosen.put(slot, command);
    ctx.storage().append(PaxosRecords.chosen(slot, command));
    applyChosen();
  }

  private void applyChosen() {
    while (chosen.containsKey(applied + 1)) {
      long slot = applied + 1;
      Command command = chosen.get(slot);
      Object txnAnswer = null;
      String refusal;
      if (command instanceof Command.Txn txn) {
        KvStore.TxnResult result = kv.transact(txn, true);
        refusal = result.refusal();
        txnAnswer = result.ops();
      } else {
        refusal = kv.apply(command);
      }
      applied = slot;
      // The value, not the ballot: a chosen value re-proposed under a later ballot is the same one.
      ctx.observe(new Observation(Observation.APPLY, 0, slot, command.toString()));
      Proposal p = proposals.remove(slot);
      if (p != null && p.responder != null) answer(p, command, refusal, txnAnswer, slot);
      if (applied - checkpointIndex >= settings.checkpointEvery()) checkpoint();
    }
    if (role == Role.LEADER && recoveryBase >= 0 && applied >= recoveryBase) takeOver();
  }

  private void answer(Proposal p, Command appliedCommand, String refusal, Object txnAnswer, long slot) {
    if (!p.command.equals(appliedCommand)) {
      // Another value was chosen in the slot; this leader will not propose its own again.
      p.responder.notDone("another value was chosen in slot " + slot, null);
      return;
    }
    if (appliedCommand instanceof Command.Read || appliedCommand instanceof Command.ReadAccounts
        || (appliedCommand instanceof Command.Txn t && t.readOnly())) {
      p.responder.done(KvRequests.answer(kv, appliedCommand));
    } else if (refusal == null) {
      ctx.observe(Observation.of(Observation.ACK, ballot.asLong(), slot));
      p.responder.done(txnAnswer);
    } else {
      p.responder.notDone(refusal, null);
    }
  }

  // ---------------------------------------------------------------- heartbeats, lease, catch-up

  private void onHeartbeatTimer() {
    long now = ctx.monotonicNanos();
    for (String peer : peers) ctx.send(peer, new Heartbeat(ballot, applied, now));
    // What a lost message left unfinished: accepts not yet acknowledged, and a catch-up not answered.
    for (Map.Entry<Long, Proposal> e : proposals.entrySet()) {
      Proposal p = e.getValue();
      if (p.chosen) continue;
      for (String peer : peers) {
        if (!p.acks.contains(peer)) ctx.send(peer, new Accept(ballot, e.getKey(), p.command, applied));
      }
    }
    // Any peer may hold what is missing (the furthest promiser may have crashed since).
    if (recoveryBase >= 0) for (String peer : peers) ctx.send(peer, new CatchUp(applied + 1));
    scheduleHeartbeat(Duration.ofMillis(settings.heartbeatMs()));
  }

  private void onHeartbeat(String from, Heartbeat m) {
    if (!m.ballot().atLeast(promised)) {
      ctx.send(from, new Reject(promised));
      return;
    }
    follow(from, m.ballot());
    ctx.send(from, new HeartbeatAck(m.ballot(), m.sentNanos()));
    catchUpIfBehind(from, m.chosenUpTo());
  }

  /**
   * True when a quorum (this leader included) acknowledged a heartbeat sent within the lease: an
   * election timeout less the drift allowance, on the monotonic clock. No acceptor of that quorum
   * promises another proposer until an election timeout after it heard the heartbeat.
   */
  private boolean leaseHolds() {
    long now = ctx.monotonicNanos();
    long lease = (long) (electionNanos() * (1 - settings.leaseDrift()));
    int fresh = 1;
    for (long sent : heartbeatAckedSentNanos.values()) {
      if (now - sent < lease) fresh++;
    }
    return fresh >= quorum;
  }

  private void catchUpIfBehind(String from, long chosenUpTo) {
    catchUpTarget = Math.max(catchUpTarget, chosenUpTo);
    if (chosenUpTo <= applied || chosen.containsKey(applied + 1)) return;
    long now = ctx.monotonicNanos();
    if (now - lastCatchUpNanos < settings.heartbeatMs() * 1_000_000L) return;
    lastCatchUpNanos = now;
    ctx.send(from, new CatchUp(applied + 1));
  }

  private void onCatchUp(String from, CatchUp m) {
    long fromSlot = m.fromSlot();
    long index = 0;
    SortedMap<String, Object> state = null;
    if (fromSlot <= checkpointIndex) {
      index = checkpointIndex;
      state = checkpointState;
      fromSlot = checkpointIndex + 1;
    }
    List<ChosenValue> values = new ArrayList<>();
    for (long slot = fromSlot; values.size() < settings.maxCatchUp() && chosen.containsKey(slot); slot++) {
      values.add(new ChosenValue(slot, chosen.get(slot)));
    }
    if (state != null || !values.isEmpty()) ctx.send(from, new CatchUpReply(index, state, values));
  }

  private void onCatchUpReply(String from, CatchUpReply m) {
    long before = applied;
    if (m.checkpointState() != null && m.checkpointIndex() > applied) install(m.checkpointIndex(), m.checkpointState());
    for (ChosenValue v : m.values()) learn(v.slot(), v.command());
    if (role == Role.LEADER && recoveryBase >= 0 && applied >= recoveryBase) takeOver();
    // Still behind and this answer helped: ask again at once rather than a heartbeat later, so a
    // learner far behind (with small catch-up batches) is not left behind for good.
    if (applied > before && applied < catchUpTarget && !chosen.containsKey(applied + 1)) {
      lastCatchUpNanos = ctx.monotonicNanos();
      ctx.send(from, new CatchUp(applied + 1));
    }
  }

  // ---------------------------------------------------------------- checkpoints

  private void checkpoint() {
    checkpointIndex = applied;
    checkpointState = kv.image();
    chosen.headMap(applied, true).clear();
    accepted.headMap(applied, true).clear();
    rewriteStorage();
    ctx.observe(Observation.of(Observation.SNAPSHOT, 0, applied));
    ctx.observe(new Observation(Observation.STATE, 0, applied, kv.digest()));
  }

  private void install(long index, SortedMap<String, Object> state) {
    kv = new KvStore(state);
    applied = index;
    checkpointIndex = index;
    checkpointState = state;
    chosen.headMap(index, true).clear();
    accepted.headMap(index, true).clear();
    // Whatever this node proposed up to there was chosen or not, it cannot tell which.
    for (var it = proposals.headMap(index, true).values().iterator(); it.hasNext(); ) {
      Proposal p = it.next();
      if (p.responder != null) p.responder.unknown("a checkpoint past its slot was installed");
      it.remove();
    }
    rewriteStorage();
    ctx.observe(Observation.of(Observation.INSTALL, 0, index));
    ctx.observe(new Observation(Observation.STATE, 0, index, kv.digest()));
    applyChosen();
  }

  // ---------------------------------------------------------------- persistence

  /** Raises the promise; it is written now and synced at the next flush, before anything that relies on it is sent. */
  private void promise(Ballot b) {
    promised = b;
    if (!settings.has(PaxosBug.FORGET_PROMISE)) {
      storage.append(PaxosRecords.promise(b));
    }
  }

  /** Compacts storage to [checkpoint, promise, accepted and chosen past it], atomically and durably. */
  private void rewriteStorage() {
    List<byte[]> records = new ArrayList<>();
    records.add(PaxosRecords.checkpoint(checkpointIndex, checkpointState));
    if (!settings.has(PaxosBug.FORGET_PROMISE)) records.add(PaxosRecords.promise(promised));
    for (AcceptedValue v : accepted.values()) records.add(PaxosRecords.accepted(v));
    for (Map.Entry<Long, Command> c : chosen.entrySet()) records.add(PaxosRecords.chosen(c.getKey(), c.getValue()));
    ctx.storage().rewrite(records);
    storage.rewritten();
  }

  // ---------------------------------------------------------------- timers

  private long electionNanos() {
    return settings.electionTimeoutMs() * 1_000_000L;
  }

  private void armElection() {
    if (electionTimer != null) electionTimer.cancel();
    electionTag = newTag(TimerKind.ELECTION);
    long min = settings.electionTimeoutMs();
    electionTimer = ctx.schedule(Duration.ofMillis(min + ctx.random().nextInt((int) min)), electionTag);
  }

  private void scheduleHeartbeat(Duration after) {
    heartbeatTag = newTag(TimerKind.HEARTBEAT);
    ctx.schedule(after, heartbeatTag);
  }

  private TimerTag newTag(TimerKind kind) {
    return new TimerTag(kind, ++timerSerial);
  }

  // ---------------------------------------------------------------- for tests in this package

  /** Starts phase 1 now, as an election timeout would: a scripted test's way to pick the next proposer. */
  void campaign() {
    startElection();
  }

  Role role() {
    return role;
  }

  long applied() {
    return applied;
  }

  Object valueOf(String key) {
    return kv.get(key);
  }

  SortedMap<String, Object> state() {
    return Collections.unmodifiableSortedMap(kv.image());
  }
}
