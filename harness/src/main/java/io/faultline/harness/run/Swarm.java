package io.faultline.harness.run;

import io.faultline.harness.Registries;
import io.faultline.harness.target.Target;
import io.faultline.nemesis.FaultKind;
import io.faultline.targets.sim.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Swarm testing (Groce et al.): each seed of a sweep draws its own configuration from the seed
 * (cluster size, which kinds of fault and how fast, the workers and the rate, the keys' contention
 * through the rate and workers, and the target's own knobs), so a sweep explores many corners, not
 * one. A fault kind left out is as useful as one put in: some bugs hide behind the faults that mask
 * them. What the user fixed (an option given on the command line or in a spec file, a setting of
 * the target) is kept as given and only the rest is drawn; the drawn spec is what the run stores, so
 * a failing seed reruns as it ran.
 */
public final class Swarm {
  /** The spec keys this swarm varies, when the user has not fixed them. */
  public static final Set<String> VARIED =
      Set.of("nodes", "nemesis", "nemesis-interval", "concurrency", "rate", "network", "fault-points");

  private final Set<String> fixed;

  private Swarm(Set<String> fixed) {
    // A target setting is kept by its own name (the base's settings win over drawn ones), not by "set".
    this.fixed = Set.copyOf(fixed.stream().filter(VARIED::contains).toList());
  }

  /** A swarm that keeps the spec keys in {@code fixed} as the base has them. */
  public static Swarm keeping(Set<String> fixed) {
    return new Swarm(fixed);
  }

  /** {@code base} for {@code seed}, every varied key drawn. */
  public static TestSpec vary(TestSpec base, long seed) {
    return keeping(Set.of()).draw(base, seed);
  }

  /** {@code base} for {@code seed}, what is not fixed varied by draws from the seed alone. */
  public TestSpec draw(TestSpec base, long seed) {
    Random r = Seeds.stream(seed, "swarm", 0);
    Target target = Registries.TARGETS.get(base.target());
    int nodes = r.nextBoolean() ? 3 : 5;
    Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
    for (FaultKind k : base.nemesis()) if (r.nextInt(10) < 7) kinds.add(k);
    if (kinds.isEmpty() && !base.nemesis().isEmpty()) {
      List<FaultKind> offered = new ArrayList<>(base.nemesis());
      offered.sort(null);
      kinds.add(offered.get(r.nextInt(offered.size())));
    }
    long intervalMs = new long[] {1000, 2500, 5000}[r.nextInt(3)];
    int concurrency = new int[] {2, 5, 10}[r.nextInt(3)];
    double rate = new double[] {30, 100, 300}[r.nextInt(3)];
    Map<String, String> settings = new TreeMap<>(target.swarmSettings(r));
    settings.putAll(base.settings());
    Map<String, Object> changes = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (FaultKind k : FaultKind.values()) if (kinds.contains(k)) names.add(k.wireName());
    changes.put("nodes", nodes);
    changes.put("nemesis", names.isEmpty() ? "none" : String.join(",", names));
    changes.put("nemesis-interval", Durations.format(Duration.ofMillis(intervalMs)));
    changes.put("concurrency", concurrency);
    changes.put("rate", rate);
    changes.put("set", settings);
    changes.put("network", r.nextInt(4) == 0 ? "steady" : "jittery");
    changes.put("fault-points", new double[] {0, 0.05, 0.25, 0.5}[r.nextInt(4)]);
    // Every draw above is made whether or not it is kept, so fixing one key leaves the others' draws alone.
    changes.keySet().removeAll(fixed);
    changes.put("seed", seed);
    return base.with(changes);
  }
}
