package io.faultline.targets.raft;

import io.faultline.targets.kv.Command;

import io.faultline.targets.clientprotocol.Request;
import io.faultline.targets.clientprotocol.Status;
import io.faultline.targets.sim.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One randomized run of the test cluster from a seed: random message delays (so reordering),
 * losses and duplicates, partitions, crashes that lose a random part of the unsynced records,
 * restarts, wall-clock offsets, and clients issuing reads, writes and cas operations on two keys
 * with unique values. It collects every safety violation it sees:
 *
 * <ul>
 *   <li>election safety: two leaders in one term;
 *   <li>state machine safety: two replicas applying different entries at one index;
 *   <li>what clients were told: a done write or cas missing from the applied log, a cas answered
 *       "mismatch" that in fact took effect (or the reverse), a read of a value never written, a
 *       stale read (missing a write that completed before the read began), a read from the future;
 *   <li>at the end, after healing: replicas that do not converge, or no leader.
 * </ul>
 */
final class RandomRun {
  private static final List<String> KEYS = List.of("a", "b");

  private record Op(String f, String key, long expected, long value, Reply reply) {}

  final long seed;
  final List<String> violations = new ArrayList<>();
  private final TestCluster c;
  private final Random random;
  private final TreeMap<Long, Entry> applied = new TreeMap<>();
  private final Map<Long, String> leaders = new TreeMap<>();
  private final List<Op> ops = new ArrayList<>();
  private final Map<String, Long> lastWritten = new LinkedHashMap<>();
  private long nextValue = 1;
  private final String description;

  RandomRun(long seed, Set<String> bugs) {
    this.seed = seed;
    this.random = new Random(seed);
    int size = random.nextInt(3) == 0 ? 5 : 3;
    Map<String, String> settings = new LinkedHashMap<>();
    if (!bugs.contains("lease-wallclock") && random.nextBoolean()) {
      settings.put("read", "lease");
    }
    settings.put("snapshot-every", List.of("5", "20", "1000").get(random.nextInt(3)));
    settings.put("max-batch", List.of("2", "8", "256").get(random.nextInt(3)));
    this.description = "seed " + seed + ", " + size + " nodes, bugs " + bugs + ", " + settings;
    this.c = new TestCluster(size, seed, bugs, settings);
    c.latency(1, 15);
    c.loss(0.03, 0.02);
    c.observeApplies(this::applied);
    c.afterEachEvent(this::checkLeaders);
  }

  /** Runs {@code millis} of faults and clients, then heals and checks convergence. */
  RandomRun run(long millis) {
    c.start();
    long end = c.now() + millis * TestCluster.MS;
    long nextFault = c.now() + 300 * TestCluster.MS;
    while (c.now() < end) {
      c.run(2 + random.nextInt(10));
      issueClientOp();
      if (c.now() >= nextFault) {
        fault();
        nextFault = c.now() + (50 + random.nextInt(400)) * TestCluster.MS;
      }
    }
    c.heal();
    for (String id : c.ids) {
      c.wallOffset(id, 0);
      if (!c.up(id)) {
        c.restart(id);
      }
    }
    c.loss(0, 0);
    c.run(3_000);
    converge();
    checkClients();
    return this;
  }

  private void issueClientOp() {
    String node = c.ids.get(random.nextInt(c.ids.size()));
    String key = KEYS.get(random.nextInt(KEYS.size()));
    int kind = random.nextInt(10);
    if (kind < 4) {
      long v = nextValue++;
      lastWritten.put(key, v);
      ops.add(new Op("write", key, 0, v, c.request(node, Request.write(key, v))));
    } else if (kind < 8) {
      ops.add(new Op("read", key, 0, 0, c.request(node, Request.read(key))));
    } else {
      long expected = lastWritten.getOrDefault(key, 0L);
      long v = nextValue++;
      lastWritten.put(key, v);
      ops.add(new Op("cas", key, expected, v, c.request(node, Request.cas(key, expected, v))));
    }
  }

  private void fault() {
    // Half the time the fault aims at the leader, where stale reads and lost writes are born.
    String leader = c.leader();
    String victim = leader != null && random.nextBoolean()
        ? leader : c.ids.get(random.nextInt(c.ids.size()));
    switch (random.nextInt(8)) {
      case 0 -> c.isolate(victim);
      case 1 -> {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (String id : c.ids) {
          (random.nextBoolean() ? a : b).add(id);
        }
        c.partition(List.of(a, b));
      }
      case 2, 3 -> c.heal();
      case 4 -> {
        if (c.up(victim)) {
          int unsynced = c.storage(victim).unsynced();
          c.crash(victim, unsynced == 0 ? 0 : random.nextInt(unsynced + 1));
        }
      }
      case 5 -> {
        for (String id : c.ids) {
          if (!c.up(id)) {
            c.restart(id);
            break;
          }
        }
      }
      case 6 -> {
        // A bounce: killed and at once restarted, as by a supervisor.
        if (c.up(victim)) {
          int unsynced = c.storage(victim).unsynced();
          c.crash(victim, unsynced == 0 ? 0 : random.nextInt(unsynced + 1));
          c.restart(victim);
        }
      }
      default -> c.wallOffset(victim, random.nextInt(8_000) - 6_000);
    }
  }

  private void applied(Entry entry) {
    Entry before = applied.putIfAbsent(entry.index(), entry);
    if (before != null && !before.equals(entry)) {
      violation("state machine safety: index " + entry.index() + " applied as " + before + " and as " + entry);
    }
  }

  private void checkLeaders() {
    for (String id : c.ids) {
      if (c.up(id) && c.node(id).role() == RaftNode.Role.LEADER) {
        String before = leaders.putIfAbsent(c.node(id).term(), id);
        if (before != null && !before.equals(id)) {
          violation("election safety: " + before + " and " + id + " lead term " + c.node(id).term());
        }
      }
    }
  }

  private void converge() {
    try {
      c.commit("end", nextValue++);
    } catch (AssertionError e) {
      violation("no progress after healing: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    c.run(1_000);
    String first = c.ids.get(0);
    for (String id : c.ids) {
      if (!c.node(id).state().equals(c.node(first).state())
          || c.node(id).lastApplied() != c.node(first).lastApplied()) {
        violation("no convergence: " + first + " applied " + c.node(first).lastApplied() + " "
            + c.node(first).state() + ", " + id + " applied " + c.node(id).lastApplied() + " "
            + c.node(id).state());
      }
    }
  }

  /** Replays the applied log and compares it with what each client was told. */
  private void checkClients() {
    // Per key: index -> value after that index; per written value: its index and whether it took effect.
    Map<String, TreeMap<Long, Long>> history = new LinkedHashMap<>();
    Map<Long, Long> indexOfValue = new LinkedHashMap<>();
    Map<Long, Boolean> tookEffect = new LinkedHashMap<>();
    Map<String, Long> state = new LinkedHashMap<>();
    long expectedIndex = 1;
    for (Entry e : applied.values()) {
      if (e.index() != expectedIndex) {
        violation("applied log has a gap before " + e.index());
        return;
      }
      expectedIndex++;
      if (e.command() instanceof Command.Put put) {
        state.put(put.key(), put.value());
        history.computeIfAbsent(put.key(), k -> new TreeMap<>()).put(e.index(), put.value());
        indexOfValue.put(put.value(), e.index());
        tookEffect.put(put.value(), true);
      } else if (e.command() instanceof Command.Cas cas) {
        Long current = state.get(cas.key());
        boolean matched = current != null && current == cas.expected();
        indexOfValue.put(cas.value(), e.index());
        tookEffect.put(cas.value(), matched);
        if (matched) {
          state.put(cas.key(), cas.value());
          history.computeIfAbsent(cas.key(), k -> new TreeMap<>()).put(e.index(), cas.value());
        }
      }
    }
    Map<Long, Op> writeOf = new LinkedHashMap<>();
    for (Op op : ops) {
      if (!op.f().equals("read")) {
        writeOf.put(op.value(), op);
      }
    }
    for (Op op : ops) {
      Reply r = op.reply();
      switch (op.f()) {
        case "write" -> {
          if (r.done() && !Boolean.TRUE.equals(tookEffect.get(op.value()))) {
            violation("lost write: " + op.key() + "=" + op.value() + " was acknowledged");
          }
        }
        case "cas" -> {
          if (r.done() && !Boolean.TRUE.equals(tookEffect.get(op.value()))) {
            violation("lost cas: " + op.key() + " " + op.expected() + "->" + op.value() + " was acknowledged");
          }
          if (r.answered() && r.status() == Status.NOT_DONE && Boolean.TRUE.equals(tookEffect.get(op.value()))) {
            violation("cas " + op.key() + " " + op.expected() + "->" + op.value()
                + " took effect but was answered " + r);
          }
        }
        default -> checkRead(op, history.getOrDefault(op.key(), new TreeMap<>()), indexOfValue, tookEffect, writeOf);
      }
    }
  }

  private void checkRead(Op read, TreeMap<Long, Long> keyHistory, Map<Long, Long> indexOfValue,
      Map<Long, Boolean> tookEffect, Map<Long, Op> writeOf) {
    Reply r = read.reply();
    if (!r.done()) {
      return;
    }
    Long v = (Long) r.value();
    long seenIndex = 0;
    if (v != null) {
      if (!Boolean.TRUE.equals(tookEffect.get(v)) || !keyHistory.containsValue(v)) {
        violation("read " + read.key() + "=" + v + ", a value that was never written there");
        return;
      }
      seenIndex = indexOfValue.get(v);
      Op source = writeOf.get(v);
      if (source != null && source.reply().invokedAt() > r.answeredAt()) {
        violation("read " + read.key() + "=" + v + " before that write began");
      }
    }
    // A later write to the key that had completed before the read began makes the read stale.
    for (Map.Entry<Long, Long> later : keyHistory.tailMap(seenIndex, false).entrySet()) {
      Op w = writeOf.get(later.getValue());
      if (w != null && w.reply().done() && w.reply().answeredAt() < read.reply().invokedAt()) {
        violation("stale read at " + read.reply().node() + ": " + read.key() + "=" + v
            + " but " + later.getValue() + " was written (index " + later.getKey()
            + ") and acknowledged before the read began");
        return;
      }
    }
  }

  private void violation(String what) {
    if (violations.size() < 10) {
      violations.add(what);
    }
  }

  /** How much happened: for judging whether a run exercised anything. */
  String stats() {
    int done = 0;
    int notDone = 0;
    int unknown = 0;
    int doneReads = 0;
    for (Op op : ops) {
      if (op.reply().done()) {
        done++;
        if (op.f().equals("read")) {
          doneReads++;
        }
      } else if (op.reply().status() == io.faultline.targets.clientprotocol.Status.NOT_DONE) {
        notDone++;
      } else {
        unknown++;
      }
    }
    return description + ": ops " + ops.size() + ", done " + done + " (reads " + doneReads + "), not-done "
        + notDone + ", unanswered/unknown " + unknown + ", applied " + applied.size() + ", terms with leaders "
        + leaders.size() + ", violations " + violations;
  }

  String report() {
    return description + ": " + violations + "\n" + c.logs();
  }
}
