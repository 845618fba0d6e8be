package io.faultline.harness.run;

import io.faultline.harness.runtime.Loop;
import io.faultline.nemesis.Nemesis;
import io.faultline.nemesis.Pace;
import io.faultline.targets.node.Observation;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Kills at the moments that matter, as FoundationDB's BUGGIFY and TigerBeetle's simulator do: when
 * a node reports it just voted, became leader, acknowledged a write, truncated its log, or took or
 * installed a snapshot, it is killed right after that event with a seeded probability, and started
 * again shortly after, at the runtime's pace. A timed schedule alone almost never lands between a
 * vote and the next candidate's request; this lands there often.
 *
 * <p>Contract: on the loop thread; the kill is an event of its own after the node's callback, so a
 * node is never torn mid-callback; every kill and start goes through the {@link Nemesis} (so the
 * final phase undoes it) and into the history; draws come from its own seeded stream.
 */
final class FaultPoints implements BiConsumer<String, Observation> {
  /** The events a node may be killed right after, and how likely, per event. */
  private static final Set<String> POINTS = Set.of(Observation.VOTE, Observation.LEADER, Observation.ACK,
      Observation.TRUNCATE, Observation.SNAPSHOT, Observation.INSTALL, Observation.ELECTION);
  /** At most this many in one run, so that a chatty event cannot keep a cluster down. */
  static final int MAX_PER_RUN = 60;

  private final Loop loop;
  private final Nemesis nemesis;
  private final Consumer<List<Nemesis.Event>> record;
  private final Random random;
  private final Pace pace;
  private final double probability;
  private final TreeSet<String> down = new TreeSet<>();
  private boolean on = true;
  private int fired;

  /** @param probability the chance, per event of a point, of a kill right after it */
  FaultPoints(Loop loop, Nemesis nemesis, Consumer<List<Nemesis.Event>> record, Random random, Pace pace,
      double probability) {
    this.probability = probability;
    this.loop = loop;
    this.nemesis = nemesis;
    this.record = record;
    this.random = random;
    this.pace = pace;
  }

  /** From now on, no more kills: the workload phase is over. */
  void stop() {
    on = false;
  }

  @Override
  public void accept(String node, Observation o) {
    if (!on || !POINTS.contains(o.event()) || down.contains(node) || fired >= MAX_PER_RUN) return;
    if (random.nextDouble() >= probability) return;
    fired++;
    down.add(node);
    long restartMillis = pace.restartMin().toMillis()
        + random.nextInt((int) (pace.restartMax().toMillis() - pace.restartMin().toMillis()) + 1);
    loop.post(() -> {
      if (on) record.accept(nemesis.killAt(node, "after " + o.event()));
      loop.after(restartMillis * 1_000_000L, () -> {
        down.remove(node);
        record.accept(nemesis.restart(node));
      });
    });
  }
}
