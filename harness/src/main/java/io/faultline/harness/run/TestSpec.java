package io.faultline.harness.run;

import io.faultline.harness.Registries;
import io.faultline.nemesis.FaultKind;
import io.faultline.workloads.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import io.faultline.nemesis.NemesisSchedule;
import java.util.TreeMap;

/**
 * A test, whole, as one value: what to deploy, where, what to ask of it, which faults to inject, for
 * how long, and the seed behind every random choice. It is written to {@code test.json} as the map
 * {@link #toMap()} gives, and read back by {@link #with(Map)}, so {@code faultline repro} reruns
 * exactly what was stored. The keys are the command line's option names without the dashes.
 *
 * @param target the system under test, such as {@code raft}
 * @param runtime where nodes run: {@code local} or {@code sim}
 * @param nodes cluster size
 * @param workload {@code register} or {@code set}
 * @param nemesis the fault kinds, possibly none
 * @param nemesisInterval the pace of the faults: roughly the quiet time, and the fault time, of each kind
 * @param concurrency client workers
 * @param rate operations per second over all workers; 0 means as fast as the workers go
 * @param timeLimit how long operations are issued, before the final phase
 * @param seed the source of every random choice
 * @param routing how a worker picks the node for an operation
 * @param bugs planted bugs the bundled nodes start with
 * @param settings protocol settings ({@code --set key=value})
 * @param clientTimeout how long one operation may take before it is given up as {@code info}
 * @param settle how long the cluster is left alone after every fault is healed, before it must
 *     show it recovered
 * @param recovery how long after settling every worker has to complete an operation {@code ok}: a
 *     cluster that does not serve every client again within it fails for liveness
 * @param schedule the nemesis's steps as {@link NemesisSchedule#describe()} writes them, instead of
 *     a schedule drawn from the seed; null to draw one (what {@code faultline shrink} edits)
 * @param network the simulator's network: {@code jittery} (0.5 to 5 ms, a rare tail to half a
 *     second) or {@code steady} (1 ms, a few microseconds either way), which lines up timers that
 *     only randomness keeps apart; real networks are what they are
 * @param faultPoints the chance, per node event, that the simulator kills the node right after it
 *     (0 for none); with the kill fault only
 * @param hosts where {@code --runtime ssh} puts the nodes, {@code user@address[:port]}, one node per
 *     host in order; empty for the other runtimes
 * @param ssh how {@code --runtime ssh} logs in: {@code key} (a private key file), {@code port}
 *     (default 22), {@code known-hosts} (default {@code ~/.ssh/known_hosts}), {@code
 *     trust-new-host-keys} ({@code true} to accept a host key known_hosts lacks, with a warning)
 */
public record TestSpec(
    String target,
    String runtime,
    int nodes,
    String workload,
    Set<FaultKind> nemesis,
    Duration nemesisInterval,
    int concurrency,
    double rate,
    Duration timeLimit,
    long seed,
    String routing,
    List<String> bugs,
    Map<String, String> settings,
    Duration clientTimeout,
    Duration settle,
    Duration recovery,
    List<Map<String, Object>> schedule,
    String network,
    double faultPoints,
    List<String> hosts,
    Map<String, String> ssh) {

  /** The defaults of {@code faultline test}, but for the seed, which each run draws. */
  public static final TestSpec DEFAULTS = new TestSpec("raft", "local", 3, "register",
      EnumSet.of(FaultKind.PARTITION, FaultKind.KILL), Duration.ofSeconds(5), 5, 50, Duration.ofSeconds(60), 0,
      "random", List.of(), Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(20), null,
      "jittery", 0.02, List.of(), Map.of());

  /**
   * The defaults of {@code faultline sim}, the simulator's short form: five nodes under every fault,
   * 30 s of virtual time, a quicker pace; what a sweep of thousands of seeds wants.
   */
  public static final TestSpec SIMULATION_DEFAULTS = new TestSpec("raft", "sim", 5, "register",
      EnumSet.allOf(FaultKind.class), Duration.ofMillis(2500), 5, 100, Duration.ofSeconds(30), 0, "random", List.of(),
      Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10), null,
      "jittery", 0.02, List.of(), Map.of());

  /** The option names, in the order {@code test.json} lists them. */
  static final List<String> KEYS = List.of("target", "runtime", "nodes", "workload", "nemesis", "nemesis-interval",
      "concurrency", "rate", "time-limit", "seed", "routing", "bug", "set", "client-timeout", "settle", "recovery", "schedule", "network", "fault-points", "hosts", "ssh");

  public TestSpec {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(routing, "routing");
    // In the enum's order, never a hash order: the swarm draws per kind, and Set.copyOf iterates in an order salted per JVM.
    nemesis = nemesis.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(nemesis));
    bugs = List.copyOf(bugs);
    settings = Map.copyOf(settings);
    hosts = List.copyOf(hosts);
    ssh = java.util.Collections.unmodifiableMap(new TreeMap<>(ssh));
    if (nodes < 1) throw new IllegalArgumentException("--nodes must be at least 1, got " + nodes);
    if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be at least 1, got " + concurrency);
    if (!(rate >= 0) || Double.isInfinite(rate)) throw new IllegalArgumentException("--rate must be 0 (unlimited) or more, got " + rate);
    if (timeLimit.isNegative() || timeLimit.isZero()) throw new IllegalArgumentException("--time-limit must be positive");
    if (nemesisInterval.isNegative() || nemesisInterval.isZero()) throw new IllegalArgumentException("--nemesis-interval must be positive");
    if (clientTimeout.isNegative() || clientTimeout.isZero()) throw new IllegalArgumentException("--client-timeout must be positive");
    if (settle.isNegative()) throw new IllegalArgumentException("--settle must not be negative");
    if (recovery.isNegative() || recovery.isZero()) throw new IllegalArgumentException("--recovery must be positive");
    Objects.requireNonNull(network, "network");
    if (!network.equals("jittery") && !network.equals("steady")) {
      throw new IllegalArgumentException("--network takes jittery or steady, not '" + network + "'");
    }
    if (!(faultPoints >= 0 && faultPoints <= 1)) {
      throw new IllegalArgumentException("--fault-points is a chance from 0 to 1, got " + faultPoints);
    }
    if (schedule != null) {
      List<Map<String, Object>> steps = new ArrayList<>();
      for (Map<String, Object> step : schedule) steps.add(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(step)));
      schedule = List.copyOf(steps);
    }
  }

  /** The store's folder for this kind of test: target, planted bugs, workload ({@code raft-register}). */
  public String name() {
    StringBuilder sb = new StringBuilder(target);
    for (String bug : bugs) sb.append('-').append(bug);
    return sb.append('-').append(workload).toString();
  }

  /** The fault kinds in their declared order, by name. */
  public List<String> nemesisNames() {
    List<String> out = new ArrayList<>();
    for (FaultKind k : FaultKind.values()) if (nemesis.contains(k)) out.add(k.wireName());
    return out;
  }

  public TestSpec withSeed(long newSeed) {
    return new TestSpec(target, runtime, nodes, workload, nemesis, nemesisInterval, concurrency, rate, timeLimit,
        newSeed, routing, bugs, settings, clientTimeout, settle, recovery, schedule, network, faultPoints, hosts, ssh);
  }

  /** This spec with its nemesis given step by step ({@code null} to draw it from the seed again). */
  public TestSpec withSchedule(List<Map<String, Object>> steps) {
    return new TestSpec(target, runtime, nodes, workload, nemesis, nemesisInterval, concurrency, rate, timeLimit,
        seed, routing, bugs, settings, clientTimeout, settle, recovery, steps, network, faultPoints, hosts, ssh);
  }

  /** This spec with another cluster size, time limit and worker count: what {@code faultline shrink} varies. */
  public TestSpec resized(int newNodes, int newConcurrency, Duration newTimeLimit) {
    return new TestSpec(target, runtime, newNodes, workload, nemesis, nemesisInterval, newConcurrency, rate, newTimeLimit,
        seed, routing, bugs, settings, clientTimeout, settle, recovery, schedule, network, faultPoints, hosts, ssh);
  }

  /** What the target's nodes and clients are asked to be, apart from where they run. */
  public io.faultline.harness.target.Setup setup() {
    Map<String, String> forTarget = new TreeMap<>(settings);
    try {
      forTarget.keySet().removeAll(Registries.WORKLOADS.get(workload).settings());
    } catch (IllegalArgumentException unknownWorkload) {
      // Preflight refuses it in its own words.
    }
    return new io.faultline.harness.target.Setup(bugs, forTarget, clientTimeout, seed);
  }

  /** The workload this spec names, with its own settings ({@link Workload#settings()}) applied. */
  public Workload workloadInstance() {
    return Registries.WORKLOADS.get(workload).configure(settings);
  }

  /**
   * The command that runs exactly this test: {@code faultline test} with every option of the spec,
   * so that a stored simulated seed says how to run it again without its folder.
   */
  public List<String> commandLine() {
    List<String> out = new ArrayList<>(List.of("faultline", "test"));
    toMap().forEach((key, value) -> {
      if (key.equals("schedule")) return; // a step list has no option; the run's test.json holds it
      if (value instanceof List<?> list) {
        if (key.equals("nemesis")) {
          out.add("--nemesis");
          out.add(list.isEmpty() ? "none" : String.join(",", nemesisNames()));
        } else {
          for (Object v : list) out.addAll(List.of("--" + key, String.valueOf(v)));
        }
      } else if (value instanceof Map<?, ?> map) {
        map.forEach((k, v) -> out.addAll(List.of("--" + key, k + "=" + v)));
      } else {
        out.addAll(List.of("--" + key, String.valueOf(value)));
      }
    });
    return out;
  }

  /** The spec as plain data, keyed by option name; durations as {@code 60s}, the nemesis as a list. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", target);
    m.put("runtime", runtime);
    m.put("nodes", nodes);
    m.put("workload", workload);
    m.put("nemesis", nemesisNames());
    m.put("nemesis-interval", Durations.format(nemesisInterval));
    m.put("concurrency", concurrency);
    m.put("rate", rate == Math.rint(rate) ? (Object) (long) rate : (Object) rate);
    m.put("time-limit", Durations.format(timeLimit));
    m.put("seed", seed);
    m.put("routing", routing);
    m.put("bug", bugs);
    m.put("set", new TreeMap<>(settings));
    m.put("client-timeout", Durations.format(clientTimeout));
    m.put("settle", Durations.format(settle));
    m.put("recovery", Durations.format(recovery));
    m.put("network", network);
    m.put("fault-points", faultPoints);
    if (!hosts.isEmpty()) m.put("hosts", hosts);
    if (!ssh.isEmpty()) m.put("ssh", new TreeMap<>(ssh));
    if (schedule != null) m.put("schedule", schedule);
    return m;
  }

  /**
   * This spec with the entries of {@code overrides} applied, as a spec file or the command line gives
   * them: option names as keys ({@code time-limit: 30s}), lists as lists or comma-separated strings.
   *
   * @throws IllegalArgumentException naming the key and what it expects, for an unknown key or a bad value
   */
  public TestSpec with(Map<String, ?> overrides) {
    String target = this.target;
    String runtime = this.runtime;
    int nodes = this.nodes;
    String workload = this.workload;
    Set<FaultKind> nemesis = this.nemesis;
    Duration nemesisInterval = this.nemesisInterval;
    int concurrency = this.concurrency;
    double rate = this.rate;
    Duration timeLimit = this.timeLimit;
    long seed = this.seed;
    String routing = this.routing;
    List<String> bugs = this.bugs;
    Map<String, String> settings = this.settings;
    Duration clientTimeout = this.clientTimeout;
    Duration settle = this.settle;
    Duration recovery = this.recovery;
    List<Map<String, Object>> schedule = this.schedule;
    String network = this.network;
    double faultPoints = this.faultPoints;
    List<String> hosts = this.hosts;
    Map<String, String> ssh = this.ssh;
    for (Map.Entry<String, ?> e : overrides.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT).replace('_', '-');
      Object v = e.getValue();
      if (v == null) continue;
      switch (key) {
        case "target" -> target = text(key, v);
        case "runtime" -> runtime = text(key, v);
        case "nodes" -> nodes = count(key, v);
        case "workload" -> workload = text(key, v);
        case "nemesis" -> nemesis = FaultKind.parse(String.join(",", list(v)));
        case "nemesis-interval" -> nemesisInterval = duration(key, v);
        case "concurrency" -> concurrency = count(key, v);
        case "rate" -> rate = decimal(key, v);
        case "time-limit" -> timeLimit = duration(key, v);
        case "seed" -> seed = number(key, v);
        case "routing" -> routing = text(key, v);
        case "bug", "bugs" -> bugs = list(v);
        case "set", "settings" -> settings = settings(v);
        case "client-timeout" -> clientTimeout = duration(key, v);
        case "settle" -> settle = duration(key, v);
        case "recovery" -> recovery = duration(key, v);
        case "schedule" -> schedule = steps(v);
        case "network" -> network = text(key, v);
        case "fault-points" -> faultPoints = decimal(key, v);
        case "hosts", "host" -> hosts = list(v);
        case "ssh" -> ssh = settings(v);
        default -> throw new IllegalArgumentException("unknown test option '" + e.getKey() + "'; expected one of "
            + String.join(", ", KEYS));
      }
    }
    return new TestSpec(target, runtime, nodes, workload, nemesis, nemesisInterval, concurrency, rate, timeLimit,
        seed, routing, bugs, settings, clientTimeout, settle, recovery, schedule, network, faultPoints, hosts, ssh);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> steps(Object v) {
    if (!(v instanceof List<?> list)) throw new IllegalArgumentException("schedule must be a list of steps, got " + v);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object step : list) {
      if (!(step instanceof Map<?, ?> m)) throw new IllegalArgumentException("a schedule step must be a map, got " + step);
      out.add((Map<String, Object>) m);
    }
    return out;
  }

  private static String text(String key, Object v) {
    if (v instanceof Map || v instanceof List) throw new IllegalArgumentException(key + " must be a single value, got " + v);
    return v.toString().trim();
  }

  private static long number(String key, Object v) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
    try {
      return Long.parseLong(text(key, v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }

  private static int count(String key, Object v) {
    long n = number(key, v);
    if (n < 1 || n > Integer.MAX_VALUE) throw new IllegalArgumentException(key + " must be a whole number from 1, got " + v);
    return (int) n;
  }

  private static double decimal(String key, Object v) {
    if (v instanceof Number n) return n.doubleValue();
    try {
      return Double.parseDouble(text(key, v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
    }
  }

  private static Duration duration(String key, Object v) {
    try {
      return Durations.parse(text(key, v));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static List<String> list(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) if (o != null) out.add(o.toString().trim());
    } else {
      for (String s : v.toString().split(",")) if (!s.isBlank()) out.add(s.trim());
    }
    return out;
  }

  private static Map<String, String> settings(Object v) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, val) -> out.put(k.toString(), String.valueOf(val)));
      return out;
    }
    for (String pair : list(v)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("set takes key=value pairs, got '" + pair + "'");
      out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return out;
  }
}
