package io.faultline.targets.twopc;

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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One node of a sharded key/value store with two-phase commit: the participant that owns one
 * shard (its data, a write-ahead log, locks) and a coordinator for whatever clients ask of it.
 *
 * <p>Every client operation is a transaction over the shards its keys live on (a client-side
 * partition map is the settings' hash or ranges). A {@code txn} (micro-ops {@code r}, {@code w},
 * {@code append}) is split into one part per shard, each in the transaction's order. Phase 1: each
 * participant takes the locks (shared for keys it only reads, exclusive for keys it writes or
 * appends to; a lock held by a conflicting transaction is waited for a little under the prepare
 * timeout, then a no vote, so a deadlock ends in aborts), tries the commands on a copy of its
 * state, logs them durably and votes yes, with what its reads saw, or votes no. Phase 2: the
 * coordinator logs commit durably before telling anyone (presumed abort: an abort is never logged),
 * then tells every participant, which applies, makes the outcome durable, releases its locks and
 * acknowledges; once all have, the coordinator logs the end and forgets. Reads hold their locks
 * until the decision (strict two-phase locking), so a read over several shards sees one moment and
 * a transaction that read a key is never overtaken by a write of it: transactions across shards
 * are serializable, and since every lock is held until the client is answered, in real-time order.
 *
 * <p>Recovery: a restarted participant holds the locks of every transaction it prepared and has no
 * outcome for (in doubt) and asks their coordinators; a restarted coordinator tells the participants
 * of every commit it logged and did not end, and answers abort for anything else. Locks held in
 * doubt block conflicting transactions until the coordinator answers: 2PC's known cost, which shows
 * as refused operations while a coordinator is down or cut off.
 */
public final class TwoPcNode implements Node {

  private enum TimerKind { TICK, SELF }

  private record TimerTag(TimerKind kind, long serial) {}

  /** A prepare that found a key locked, tried again shortly, until it has waited most of the prepare timeout. */
  private record LockWait(String coordinator, TwoPcMessage.Prepare prepare, long firstNanos, long incarnation) {}

  /** What a participant keeps of a transaction it voted yes on. */
  private static final class Prepared {
    final String coordinator;
    final List<Command> commands;
    final List<String> keys;
    final List<String> written;
    final boolean readOnly;
    long lastAskedNanos;

    Prepared(String coordinator, List<Command> commands, long now) {
      this.coordinator = coordinator;
      this.commands = commands;
      this.keys = keysOf(commands);
      this.written = writtenBy(commands);
      this.readOnly = commands.stream().allMatch(TwoPcNode::isRead);
      this.lastAskedNanos = now;
    }
  }

  /** What a coordinator keeps of a transaction it runs. */
  private static final class Txn {
    final Map<String, List<Command>> work;
    final Responder responder;
    final Command answerAs;
    final long startedNanos;
    final Map<String, TwoPcMessage.Vote> votes = new TreeMap<>();
    /** For a client's transaction: where each participant's micro-ops stand in it, in the order sent. */
    final Map<String, List<Integer>> positions;

    Txn(Map<String, List<Command>> work, Responder responder, Command answerAs, Map<String, List<Integer>> positions,
        long now) {
      this.work = work;
      this.responder = responder;
      this.answerAs = answerAs;
      this.positions = positions;
      this.startedNanos = now;
    }
  }

  private final TwoPcSettings settings;
  private long timerSerial;
  private NodeContext ctx;
  private String id;
  private List<String> members;
  private int shards;

  // Participant.
  private KvStore kv;
  private final TreeMap<String, Prepared> prepared = new TreeMap<>();
  /** Exclusive locks, of writers; and shared ones, of readers: reads of one key by many do not conflict. */
  private final TreeMap<String, String> locks = new TreeMap<>();
  private final TreeMap<String, TreeSet<String>> readLocks = new TreeMap<>();

  // Coordinator.
  private long epoch;
  private long counter;
  private final TreeMap<String, Txn> active = new TreeMap<>();
  /** Commits decided and not ended: the participants, and those that acknowledged. */
  private final TreeMap<String, List<String>> decisions = new TreeMap<>();
  private final TreeMap<String, TreeSet<String>> acked = new TreeMap<>();
  /** Decisions already synced: only those are repeated or told to a participant that asks. */
  private final TreeSet<String> durable = new TreeSet<>();
  /**
   * Transactions this participant has finished, newest last, so that a duplicated prepare arriving
   * after the outcome is not prepared (and, told commit again, applied) a second time.
   */
  private final java.util.LinkedHashSet<String> finished = new java.util.LinkedHashSet<>();
  private static final int FINISHED_KEPT = 4096;
  private long lastResendNanos;

  private GroupCommit storage;
  private TimerTag selfTag;
  private TimerTag tickTag;
  private final ArrayDeque<Message> toSelf = new ArrayDeque<>();
  private int recordsSinceRewrite;

  TwoPcNode(TwoPcSettings settings) {
    this.settings = settings;
  }

  // ---------------------------------------------------------------- node seam

  @Override
  public void start(NodeContext context) {
    ctx = context;
    id = context.id();
    members = List.copyOf(context.members());
    context.position(); // refuses a context this node is not a member of
    shards = settings.shards() == 0 ? members.size() : settings.shards();
    if (shards > members.size()) {
      throw new IllegalArgumentException("twopc shards=" + shards + " is more than the " + members.size() + " nodes");
    }
    kv = new KvStore(Map.of());
    prepared.clear();
    locks.clear();
    active.clear();
    decisions.clear();
    acked.clear();
    durable.clear();
    finished.clear();
    storage = new GroupCommit(context);
    toSelf.clear();
    selfTag = null;
    epoch = 0;
    counter = 0;
    long now = ctx.monotonicNanos();
    List<byte[]> records = ctx.storage().readAll();
    int position = 0;
    for (byte[] bytes : records) {
      TwoPcRecords.Record r = TwoPcRecords.decode(bytes, ++position);
      switch (r.kind()) {
        case TwoPcRecords.CHECKPOINT -> kv = new KvStore(r.state());
        case TwoPcRecords.PREPARED -> prepared.put(r.txid(), new Prepared(r.coordinator(), r.commands(), now));
        case TwoPcRecords.OUTCOME -> {
          Prepared p = prepared.remove(r.txid());
          if (p != null && r.commit()) for (Command c : p.commands) kv.apply(c);
          finish(r.txid());
        }
        case TwoPcRecords.EPOCH -> epoch = Math.max(epoch, r.epoch());
        case TwoPcRecords.DECIDED -> decisions.put(r.txid(), r.participants());
        case TwoPcRecords.END -> decisions.remove(r.txid());
        default -> throw new IllegalStateException("record kind " + r.kind());
      }
    }
    readLocks.clear();
    for (Map.Entry<String, Prepared> e : prepared.entrySet()) lock(e.getKey(), e.getValue());
    for (String txid : decisions.keySet()) acked.put(txid, new TreeSet<>());
    durable.addAll(decisions.keySet());
    // A new epoch, durable before any transaction id of it is used, so that none is ever reused.
    epoch++;
    ctx.storage().append(TwoPcRecords.epoch(epoch));
    ctx.storage().sync();
    lastResendNanos = Long.MIN_VALUE / 2;
    tick();
    ctx.log("twopc: started, shard " + (members.indexOf(id) < shards ? members.indexOf(id) : "none") + " of " + shards
        + ", epoch " + epoch + ", " + prepared.size() + " in doubt, " + decisions.size() + " commits to finish");
  }

  @Override
  public void onMessage(String from, Message message) {
    if (ctx == null || !members.contains(from) || !(message instanceof TwoPcMessage m)) return;
    if (m instanceof TwoPcMessage.Prepare p) {
      onPrepare(from, p);
    } else if (m instanceof TwoPcMessage.Vote v) {
      onVote(from, v);
    } else if (m instanceof TwoPcMessage.Decision d) {
      onDecision(from, d);
    } else if (m instanceof TwoPcMessage.Ack a) {
      onAck(from, a);
    } else if (m instanceof TwoPcMessage.Query q) {
      onQuery(from, q);
    }
  }

  @Override
  public void onTimer(Timer timer) {
    if (ctx != null && timer.tag() instanceof LockWait w && w.incarnation() == epoch) {
      prepare(w.coordinator(), w.prepare(), w.firstNanos());
      return;
    }
    if (ctx == null || storage.onTimer(timer) || !(timer.tag() instanceof TimerTag tag)) return;
    switch (tag.kind()) {
      case TICK -> {
        if (tag.equals(tickTag)) tick();
      }
      case SELF -> {
        if (!tag.equals(selfTag)) return;
        selfTag = null;
        while (!toSelf.isEmpty()) onMessage(id, toSelf.poll());
      }
    }
  }

  @Override
  public void onClientRequest(Request request, Responder responder) {
    if (ctx == null) {
      responder.notDone("node is still starting", null);
      return;
    }
    if (request.f().equals("status")) {
      responder.done(status());
      return;
    }
    Map<String, List<Command>> work = new TreeMap<>();
    Map<String, List<Integer>> positions = Map.of();
    Command answerAs = null;
    try {
      if (request.f().equals("txn")) {
        // Split by shard, each shard's micro-ops in the transaction's order (so a read still sees
        // the transaction's own earlier writes of its key, which live on the same shard).
        Command.Txn txn = KvRequests.txn(request);
        answerAs = txn;
        Map<String, List<Command.Txn.Micro>> parts = new TreeMap<>();
        positions = new TreeMap<>();
        for (int i = 0; i < txn.ops().size(); i++) {
          Command.Txn.Micro mop = txn.ops().get(i);
          String node = owner(mop.key());
          parts.computeIfAbsent(node, k -> new ArrayList<>()).add(mop);
          positions.computeIfAbsent(node, k -> new ArrayList<>()).add(i);
        }
        parts.forEach((node, ops) -> work.put(node, List.of(new Command.Txn(ops))));
      } else if (request.f().equals("read")) {
        Command read = KvRequests.read(request);
        answerAs = read;
        if (read instanceof Command.ReadAccounts r) {
          Map<String, List<String>> byShard = new TreeMap<>();
          for (String a : r.accounts()) byShard.computeIfAbsent(owner(a), k -> new ArrayList<>()).add(a);
          byShard.forEach((node, accounts) -> work.put(node, List.of(new Command.ReadAccounts(accounts, r.opening()))));
        } else {
          work.put(owner(request.key()), List.of(read));
        }
      } else {
        Command c = KvRequests.command(request);
        if (c instanceof Command.Transfer t) {
          if (t.from().equals(t.to())) throw new IllegalArgumentException("transfer refused: from and to are the same account");
          if (t.amount() < 0) throw new IllegalArgumentException("transfer refused: a negative amount " + t.amount());
          work.computeIfAbsent(owner(t.from()), k -> new ArrayList<>()).add(new Command.Adjust(t.from(), -t.amount(), t.opening()));
          work.computeIfAbsent(owner(t.to()), k -> new ArrayList<>()).add(new Command.Adjust(t.to(), t.amount(), t.opening()));
        } else {
          work.put(owner(request.key()), List.of(c));
        }
      }
    } catch (IllegalArgumentException e) {
      responder.notDone(e.getMessage(), null);
      return;
    }
    String txid = id + "." + epoch + "." + (++counter);
    active.put(txid, new Txn(work, responder, answerAs, positions, ctx.monotonicNanos()));
    work.forEach((participant, commands) -> deliver(participant, new TwoPcMessage.Prepare(txid, commands)));
  }

  private Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("id", id);
    status.put("role", "participant");
    status.put("shard", members.indexOf(id) < shards ? members.indexOf(id) : -1);
    status.put("shards", shards);
    status.put("inDoubt", prepared.size());
    status.put("running", active.size());
    status.put("wallMillis", ctx.wallMillis());
    return status;
  }

  /** The node whose shard holds {@code key}. */
  private String owner(String key) {
    return members.get(settings.shardOf(key, shards));
  }

  // ---------------------------------------------------------------- participant

  private void onPrepare(String coordinator, TwoPcMessage.Prepare m) {
    prepare(coordinator, m, ctx.monotonicNanos());
  }

  private void prepare(String coordinator, TwoPcMessage.Prepare m, long firstNanos) {
    if (prepared.containsKey(m.txid()) || finished.contains(m.txid())) return; // a repeat
    List<String> keys = keysOf(m.commands());
    List<String> written = writtenBy(m.commands());
    for (String k : keys) {
      String holder = locks.get(k);
      if (holder == null && written.contains(k) && readLocks.containsKey(k)) holder = readLocks.get(k).first();
      if (holder != null) {
        // Wait for the lock almost as long as the coordinator waits for votes (a deadlock ends at its timeout), then refuse.
        if (ctx.monotonicNanos() - firstNanos < settings.prepareTimeoutMs() * 900_000L) {
          ctx.schedule(Duration.ofMillis(2), new LockWait(coordinator, m, firstNanos, epoch));
          return;
        }
        deliver(coordinator, new TwoPcMessage.Vote(m.txid(), false, "key " + k + " is locked by transaction " + holder,
            Map.of()));
        return;
      }
    }
    KvStore trial = kv.copyOf(keys);
    Map<String, Object> reads = new LinkedHashMap<>();
    for (Command c : m.commands()) {
      if (c instanceof Command.Read r) {
        reads.put(r.key(), trial.get(r.key()));
      } else if (c instanceof Command.ReadAccounts r) {
        reads.putAll(trial.balances(r.accounts(), r.opening()));
      } else if (c instanceof Command.Txn t) {
        // The reads are answered now, from committed state, and the locks keep it so until the
        // decision: a key read here is read-locked, so no other transaction writes it in between.
        KvStore.TxnResult result = trial.transact(t, true);
        if (result.refusal() != null) {
          deliver(coordinator, new TwoPcMessage.Vote(m.txid(), false, result.refusal(), Map.of()));
          return;
        }
        for (int i = 0; i < t.ops().size(); i++) {
          if (t.ops().get(i).f().equals(Command.Txn.Micro.READ)) reads.put(String.valueOf(i), result.ops().get(i).get(2));
        }
      } else {
        String refusal = trial.apply(c);
        if (refusal != null) {
          deliver(coordinator, new TwoPcMessage.Vote(m.txid(), false, refusal, Map.of()));
          return;
        }
      }
    }
    Prepared p = new Prepared(coordinator, m.commands(), ctx.monotonicNanos());
    prepared.put(m.txid(), p);
    lock(m.txid(), p);
    ctx.observe(new Observation("prepare", 0, 0, m.txid()));
    // Reads too: a participant that restarted must hold its read locks again until the decision, or
    // a transfer could slip between the moments its shards were read.
    append(TwoPcRecords.prepared(m.txid(), coordinator, m.commands()));
    storage.afterSync(() -> deliver(coordinator, new TwoPcMessage.Vote(m.txid(), true, null, reads)));
  }

  private void onDecision(String coordinator, TwoPcMessage.Decision m) {
    Prepared p = prepared.remove(m.txid());
    finish(m.txid());
    if (p == null) {
      // Never prepared here, or already finished: nothing to change, and the coordinator may stop asking.
      deliver(coordinator, new TwoPcMessage.Ack(m.txid()));
      return;
    }
    unlock(m.txid(), p);
    if (m.commit()) for (Command c : p.commands) kv.apply(c);
    append(TwoPcRecords.outcome(m.txid(), m.commit()));
    if (m.commit() && !p.readOnly) {
      storage.afterSync(() -> deliver(coordinator, new TwoPcMessage.Ack(m.txid())));
    } else {
      deliver(coordinator, new TwoPcMessage.Ack(m.txid()));
    }
    maybeCompact();
  }

  // ---------------------------------------------------------------- coordinator

  private void onVote(String from, TwoPcMessage.Vote m) {
    Txn t = active.get(m.txid());
    if (t == null) {
      // A vote for nothing this coordinator runs: a yes there waits for a decision, which is abort
      // unless a commit was logged.
      if (m.yes() && !decisions.containsKey(m.txid())) deliver(from, new TwoPcMessage.Decision(m.txid(), false));
      return;
    }
    // The first vote counts: a participant that restarted may prepare a duplicated request again,
    // and its second vote's reads are of a later moment than the snapshot being assembled.
    if (!t.work.containsKey(from) || t.votes.containsKey(from)) return;
    t.votes.put(from, m);
    if (!m.yes()) {
      abort(m.txid(), t, m.reason());
      return;
    }
    long yes = t.votes.values().stream().filter(TwoPcMessage.Vote::yes).count();
    long needed = settings.has(TwoPcBug.MAJORITY_COMMIT) ? (t.work.size() + 1) / 2 : t.work.size();
    if (yes >= needed) commit(m.txid(), t);
  }

  private void commit(String txid, Txn t) {
    active.remove(txid);
    List<String> participants = new ArrayList<>(t.work.keySet());
    decisions.put(txid, participants);
    acked.put(txid, new TreeSet<>());
    Runnable tell = () -> {
      durable.add(txid);
      boolean first = true;
      for (String p : participants) {
        deliver(p, new TwoPcMessage.Decision(txid, true));
        if (first) ctx.observe(Observation.of(Observation.COMMIT, 0, counter)); // a crash here has told one
        first = false;
      }
      ctx.observe(Observation.of(Observation.ACK, 0, counter));
      t.responder.done(answer(t));
    };
    if (settings.has(TwoPcBug.NO_DECISION_LOG)) {
      tell.run();
      return;
    }
    append(TwoPcRecords.decided(txid, participants));
    storage.afterSync(tell);
  }

  private Object answer(Txn t) {
    if (t.answerAs == null) return null;
    if (t.answerAs instanceof Command.Txn txn) return answerTxn(t, txn);
    Map<String, Object> reads = new LinkedHashMap<>();
    for (TwoPcMessage.Vote v : t.votes.values()) reads.putAll(v.reads());
    if (t.answerAs instanceof Command.ReadAccounts r) {
      Map<String, Object> balances = new LinkedHashMap<>();
      for (String a : r.accounts()) balances.put(a, reads.get(a));
      return balances;
    }
    return reads.get(((Command.Read) t.answerAs).key());
  }

  /**
   * The client's transaction with its reads filled in, as Raft and Paxos answer it: {@code [f, key,
   * value]} per micro-op in the client's order, a read's value from its shard's vote.
   */
  private static List<List<Object>> answerTxn(Txn t, Command.Txn txn) {
    List<List<Object>> out = new ArrayList<>(txn.ops().size());
    for (Command.Txn.Micro mop : txn.ops()) out.add(java.util.Arrays.asList(mop.f(), mop.key(), mop.value()));
    t.positions.forEach((participant, where) -> {
      TwoPcMessage.Vote vote = t.votes.get(participant);
      for (int j = 0; j < where.size(); j++) {
        List<Object> op = out.get(where.get(j));
        if (op.get(0).equals(Command.Txn.Micro.READ)) op.set(2, vote == null ? null : vote.reads().get(String.valueOf(j)));
      }
    });
    return out;
  }

  /** Presumed abort: nothing is logged; every participant is told, and may have voted yes already. */
  private void abort(String txid, Txn t, String why) {
    active.remove(txid);
    for (String p : t.work.keySet()) deliver(p, new TwoPcMessage.Decision(txid, false));
    t.responder.notDone("transaction aborted: " + why, null);
  }

  private void onAck(String from, TwoPcMessage.Ack m) {
    TreeSet<String> who = acked.get(m.txid());
    List<String> participants = decisions.get(m.txid());
    if (who == null || participants == null) return;
    who.add(from);
    if (!who.containsAll(participants)) return;
    decisions.remove(m.txid());
    acked.remove(m.txid());
    durable.remove(m.txid());
    if (!settings.has(TwoPcBug.NO_DECISION_LOG)) append(TwoPcRecords.end(m.txid()));
    maybeCompact();
  }

  private void onQuery(String from, TwoPcMessage.Query m) {
    if (decisions.containsKey(m.txid())) {
      // Not yet durable: a crash now would forget it, so say nothing; the participant asks again.
      if (durable.contains(m.txid())) deliver(from, new TwoPcMessage.Decision(m.txid(), true));
      return;
    }
    // Still collecting votes (another shard may be waiting for a lock): say nothing yet; the
    // participant asks again, and the prepare timeout decides at the latest. Aborting here would
    // abort every transaction whose slowest shard takes longer than the query interval.
    if (active.containsKey(m.txid())) return;
    // No record of a commit: presumed abort (or, planted, presumed commit).
    deliver(from, new TwoPcMessage.Decision(m.txid(), settings.has(TwoPcBug.PRESUME_COMMIT)));
  }

  // ---------------------------------------------------------------- timers

  /** Aborts what waited too long for votes, repeats unacknowledged commits, and asks about what is in doubt. */
  private void tick() {
    long now = ctx.monotonicNanos();
    long prepareTimeout = settings.prepareTimeoutMs() * 1_000_000L;
    long queryInterval = settings.queryIntervalMs() * 1_000_000L;
    for (Map.Entry<String, Txn> e : new ArrayList<>(active.entrySet())) {
      if (now - e.getValue().startedNanos > prepareTimeout) abort(e.getKey(), e.getValue(), "prepare timed out");
    }
    if (now - lastResendNanos > queryInterval) {
      lastResendNanos = now;
      for (Map.Entry<String, List<String>> e : decisions.entrySet()) {
        if (!durable.contains(e.getKey())) continue;
        for (String p : e.getValue()) {
          if (!acked.get(e.getKey()).contains(p)) deliver(p, new TwoPcMessage.Decision(e.getKey(), true));
        }
      }
    }
    for (Map.Entry<String, Prepared> e : new ArrayList<>(prepared.entrySet())) {
      Prepared p = e.getValue();
      if (now - p.lastAskedNanos < queryInterval) continue;
      if (settings.has(TwoPcBug.UNILATERAL_ABORT)) {
        prepared.remove(e.getKey());
        finish(e.getKey());
        unlock(e.getKey(), p);
        append(TwoPcRecords.outcome(e.getKey(), false));
        continue;
      }
      p.lastAskedNanos = now;
      deliver(p.coordinator, new TwoPcMessage.Query(e.getKey()));
    }
    tickTag = new TimerTag(TimerKind.TICK, ++timerSerial);
    ctx.schedule(Duration.ofMillis(Math.max(5, Math.min(settings.prepareTimeoutMs(), settings.queryIntervalMs()) / 4)), tickTag);
  }

  // ---------------------------------------------------------------- messages and storage

  /** Sends, or to this node itself, queues for a zero-delay timer (never re-entering the caller). */
  private void deliver(String to, Message m) {
    if (!to.equals(id)) {
      ctx.send(to, m);
      return;
    }
    toSelf.add(m);
    if (selfTag == null) {
      selfTag = new TimerTag(TimerKind.SELF, ++timerSerial);
      ctx.schedule(Duration.ZERO, selfTag);
    }
  }

  private void append(byte[] record) {
    storage.append(record);
    recordsSinceRewrite++;
  }

  /** Compacts storage to [epoch, checkpoint, in-doubt prepares, unfinished commits], atomically and durably. */
  private void maybeCompact() {
    if (recordsSinceRewrite < 1000) return;
    List<byte[]> records = new ArrayList<>();
    records.add(TwoPcRecords.epoch(epoch));
    records.add(TwoPcRecords.checkpoint(kv.image()));
    for (Map.Entry<String, Prepared> e : prepared.entrySet()) {
      records.add(TwoPcRecords.prepared(e.getKey(), e.getValue().coordinator, e.getValue().commands));
    }
    if (!settings.has(TwoPcBug.NO_DECISION_LOG)) {
      for (Map.Entry<String, List<String>> e : decisions.entrySet()) records.add(TwoPcRecords.decided(e.getKey(), e.getValue()));
    }
    for (String txid : finished) records.add(TwoPcRecords.outcome(txid, false));
    ctx.storage().rewrite(records);
    storage.rewritten();
    recordsSinceRewrite = 0;
    ctx.observe(new Observation(Observation.SNAPSHOT, 0, 0, ""));
  }

  private void finish(String txid) {
    finished.add(txid);
    if (finished.size() > FINISHED_KEPT) {
      var oldest = finished.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private void lock(String txid, Prepared p) {
    for (String k : p.keys) {
      if (p.written.contains(k)) {
        locks.put(k, txid);
      } else if (!settings.has(TwoPcBug.EARLY_READ_RELEASE)) {
        readLocks.computeIfAbsent(k, x -> new TreeSet<>()).add(txid);
      }
    }
  }

  private void unlock(String txid, Prepared p) {
    for (String k : p.keys) {
      if (txid.equals(locks.get(k))) locks.remove(k);
      TreeSet<String> readers = readLocks.get(k);
      if (readers != null && readers.remove(txid) && readers.isEmpty()) readLocks.remove(k);
    }
  }

  /** The keys written: a transaction's keys that it writes or appends to, and every key of any other write. */
  private static List<String> writtenBy(List<Command> commands) {
    TreeSet<String> keys = new TreeSet<>();
    for (Command c : commands) {
      if (c instanceof Command.Txn t) {
        for (Command.Txn.Micro mop : t.ops()) if (!mop.f().equals(Command.Txn.Micro.READ)) keys.add(mop.key());
      } else if (!isRead(c)) {
        keys.addAll(keysOf(List.of(c)));
      }
    }
    return List.copyOf(keys);
  }

  private static boolean isRead(Command c) {
    return c instanceof Command.Read || c instanceof Command.ReadAccounts || (c instanceof Command.Txn t && t.readOnly());
  }

  private static List<String> keysOf(List<Command> commands) {
    TreeSet<String> keys = new TreeSet<>();
    for (Command c : commands) {
      if (c instanceof Command.Read r) keys.add(r.key());
      else if (c instanceof Command.ReadAccounts r) keys.addAll(r.accounts());
      else if (c instanceof Command.Put p) keys.add(p.key());
      else if (c instanceof Command.Cas p) keys.add(p.key());
      else if (c instanceof Command.Add p) keys.add(p.key());
      else if (c instanceof Command.Adjust p) keys.add(p.key());
      else if (c instanceof Command.Txn t) for (Command.Txn.Micro mop : t.ops()) keys.add(mop.key());
      else if (c instanceof Command.Transfer t) {
        keys.add(t.from());
        keys.add(t.to());
      }
    }
    return List.copyOf(keys);
  }

  // ---------------------------------------------------------------- for tests in this package

  Object valueOf(String key) {
    return kv.get(key);
  }

  int inDoubt() {
    return prepared.size();
  }
}
