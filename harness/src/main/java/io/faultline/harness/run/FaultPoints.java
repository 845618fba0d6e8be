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
 * a node reports it just voted, became leader, counted a commit, acknowledged a write, truncated its
 * log, or took or installed a snapshot, it may be killed right after that event and started again,
 * at the runtime's pace or, one time in four, at once (a supervisor's restart, which outruns every
 * timer the others keep). A timed schedule alone almost never lands between a vote and the next
 * candidate's request; this lands there often.
 *
 * <p>As BUGGIFY does, each run first draws which points are live (each one with even odds, at
 * least one), and only those fire, with the run's chance per event: a run that kills after every
 * commit but never after a vote reaches sequences that a run killing a little everywhere does not.
 *
 * <p>Contract: on the loop thread, inside the node's callback that reported the event; the kill
 * lands there and then, so what the node would have done after the event in the same step (send
 * the answer, sync, arm a timer) never happens, as with a crash at that line; the runtime must
 * drop an incarnation's effects once it is killed. Every kill and start goes through the
 * {@link Nemesis} (so the final phase undoes it) and into the history; draws come from its own
 * seeded stream.
 */
final class FaultPoints implements BiConsumer<String, Observation> {
  /** The events a node may be killed right after. */
  static final List<String> POINTS = List.of(Observation.VOTE, Observation.LEADER, Observation.COMMIT,
      Observation.ACK, Observation.TRUNCATE, Observation.SNAPSHOT, Observation.INSTALL, Observation.ELECTION);
  /** At most this many in one run, so that a chatty event cannot keep a cluster down. */
  static final int MAX_PER_RUN = 60;
  /** How soon a bounced node is back: within a few milliseconds. */
  private static final int BOUNCE_MAX_MILLIS = 5;

  private final Loop loop;
  private final Nemesis nemesis;
  private final Consumer<List<Nemesis.Event>> record;
  private final Random random;
  private final Pace pace;
  private final double probability;
  private final Set<String> live = new TreeSet<>();
  private final TreeSet<String> down = new TreeSet<>();
  private boolean on = true;
  private int fired;

  /** @param probability the chance, per event of a live point, of a kill right after it */
  FaultPoints(Loop loop, Nemesis nemesis, Consumer<List<Nemesis.Event>> record, Random random, Pace pace,
      double probability) {
    this.probability = probability;
    this.loop = loop;
    this.nemesis = nemesis;
    this.record = record;
    this.random = random;
    this.pace = pace;
    for (String point : POINTS) if (random.nextBoolean()) live.add(point);
    if (live.isEmpty()) live.add(POINTS.get(random.nextInt(POINTS.size())));
  }

  /** The points this run may kill at. */
  Set<String> live() {
    return live;
  }

  /** From now on, no more kills: the workload phase is over. */
  void stop() {
    on = false;
  }

  @Override
  public void accept(String node, Observation o) {
    if (!on || !live.contains(o.event()) || down.contains(node) || fired >= MAX_PER_RUN) return;
    if (random.nextDouble() >= probability) return;
    fired++;
    down.add(node);
    long restartMillis = random.nextInt(4) == 0 ? random.nextInt(BOUNCE_MAX_MILLIS + 1)
        : pace.restartMin().toMillis()
            + random.nextInt((int) (pace.restartMax().toMillis() - pace.restartMin().toMillis()) + 1);
    record.accept(nemesis.killAt(node, "after " + o.event()));
    loop.after(restartMillis * 1_000_000L, () -> {
      down.remove(node);
      record.accept(nemesis.restart(node));
    });
  }
}
