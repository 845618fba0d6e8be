package io.faultline.harness.sim;

import io.faultline.checkers.CheckContext;
import io.faultline.checkers.Result;
import io.faultline.checkers.Validity;
import io.faultline.checkers.history.History;
import io.faultline.checkers.history.Op;
import io.faultline.checkers.history.OpType;
import io.faultline.targets.node.NodeFactory;
import io.faultline.workloads.Workload;
import io.faultline.workloads.generator.Generators;
import io.faultline.workloads.register.RegisterWorkload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One seed of a simulated test, start to verdict:
 *
 * <ol>
 *   <li>the fault phase: clients run the register workload while the nemesis draws faults, for
 *       {@link SimConfig#duration()};
 *   <li>heal everything, let operations in flight end, and wait {@link SimConfig#settle()};
 *   <li>require progress: every client must complete an operation {@code ok} within {@link
 *       SimConfig#progressDeadline()}, or the run fails for liveness;
 *   <li>the final reads, one per key;
 *   <li>check the history with the workload's checker.
 * </ol>
 *
 * <p>Everything runs on the calling thread on virtual time; nothing in the history depends on the
 * wall clock, the machine, or other runs in the same JVM.
 */
public final class Simulation {
  /**
   * A run that executes this many events, or has this many waiting, is a storm of messages or
   * timers: a healthy five-node run needs about a thousand events per simulated second. The bounds
   * stop it in seconds of wall time and well inside the heap.
   */
  static final long MAX_EVENTS = 10_000_000L;
  static final int MAX_PENDING = 200_000;

  private final SimConfig config;
  private final Workload workload = RegisterWorkload.standard();
  private final Scheduler scheduler = new Scheduler();
  private final Recorder recorder = new Recorder(scheduler);
  private final Network network;
  private final Cluster cluster;
  private final Nemesis nemesis;
  private final Clients clients;

  private boolean mainDrained;
  private boolean healed;
  private boolean settling;
  private boolean inProgressPhase;
  private boolean finished;
  private String liveness;

  private Simulation(NodeFactory protocol, SimConfig config) {
    this.config = config;
    long seed = config.seed();
    this.network = new Network(Seeds.stream(seed, "network", 0));
    this.cluster = new Cluster(scheduler, network, protocol, config.bugs(), config.settings(), config.nodes(), seed);
    this.clients = new Clients(scheduler, cluster, network, recorder, Seeds.stream(seed, "clients", 0),
        config.clients(), config.clientTimeout().toNanos());
    this.nemesis = new Nemesis(scheduler, cluster, network, recorder, Seeds.stream(seed, "faults", 0), config.faults(),
        clients::primary);
  }

  /**
   * Runs one seed of {@code config} against {@code protocol}.
   *
   * @throws IllegalArgumentException when the protocol refuses the bugs or settings
   */
  public static SimResult run(NodeFactory protocol, SimConfig config) {
    Targets.validate(protocol, config.bugs(), config.settings());
    long wallStart = Stopwatch.wallNanos();
    Simulation sim = new Simulation(protocol, config);
    return sim.execute(wallStart);
  }

  private SimResult execute(long wallStart) {
    long duration = config.duration().toNanos();
    for (SimNode n : cluster.nodes()) cluster.start(n);
    nemesis.begin(duration);
    scheduler.at(duration, () -> {
      nemesis.healAll();
      healed = true;
      maybeSettle();
    });
    clients.afterCompletion(this::checkProgress);
    clients.run(Generators.timeLimit(config.duration(), Generators.stagger(config.opMean(), workload.generator())),
        () -> {
          mainDrained = true;
          maybeSettle();
        });
    long timeout = config.clientTimeout().toNanos();
    long cap = duration + 4 * timeout + config.settle().toNanos() + config.progressDeadline().toNanos() + 60_000_000_000L;
    Scheduler.Stop stop = scheduler.run(() -> finished, cap, MAX_EVENTS, MAX_PENDING);

    List<String> errors = new ArrayList<>(cluster.errors());
    if (stop != Scheduler.Stop.DONE && liveness == null) {
      String at = String.format(java.util.Locale.ROOT, " %.3f", scheduler.now() / 1e9);
      liveness = switch (stop) {
        case EVENTS, PENDING -> "a storm of events stopped the run at" + at + " s of virtual time: "
            + scheduler.executed() + " run, " + scheduler.pending() + " waiting; most sent: " + cluster.busiestSender();
        default -> "the simulation did not finish by " + cap / 1_000_000_000L + " s of virtual time";
      };
    }
    long checkStart = Stopwatch.wallNanos();
    History history = History.of("sim seed " + config.seed(), recorder.records());
    CheckContext context = new CheckContext("sim " + config.storeName() + " seed " + config.seed(),
        config.checkTimeout(), Runtime.getRuntime().maxMemory() / 4, config.checkThreads());
    Result check = workload.checker().check(context, history);

    Validity validity = check.validity();
    List<String> why = new ArrayList<>();
    if (liveness != null) {
      validity = Validity.FALSE;
      why.add("liveness: " + liveness);
    }
    if (!errors.isEmpty()) {
      validity = Validity.FALSE;
      why.add("node error: " + errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
    }
    why.add(check.summary());

    Map<String, String> logs = new LinkedHashMap<>();
    for (SimNode n : cluster.nodes()) logs.put(n.id, n.log.text());
    long operations = 0;
    for (Op op : recorder.records()) if (op.isClient() && op.type() == OpType.INVOKE) operations++;
    return new SimResult(config, validity, String.join("; ", why), check, liveness, List.copyOf(errors),
        List.copyOf(recorder.records()), logs, operations, nemesis.faults(), scheduler.now(), scheduler.executed(),
        checkStart - wallStart, Stopwatch.wallNanos() - checkStart);
  }

  private void maybeSettle() {
    if (!mainDrained || !healed || settling) return;
    settling = true;
    scheduler.after(config.settle().toNanos(), this::requireProgress);
  }

  /** Every worker must complete an operation ok before the deadline. */
  private void requireProgress() {
    for (Clients.Worker w : clients.workers()) w.oks = 0;
    inProgressPhase = true;
    long deadline = config.progressDeadline().toNanos();
    scheduler.after(deadline, () -> {
      if (!inProgressPhase) return;
      List<String> stuck = new ArrayList<>();
      for (Clients.Worker w : clients.workers()) {
        if (w.oks == 0) {
          stuck.add("client " + w.index + (w.last == null ? "" : " (last: " + w.last.type().wireName() + " "
              + w.last.f() + (w.last.error() == null ? "" : ", " + w.last.error()) + ")"));
        }
      }
      liveness = stuck.size() + " of " + clients.workers().length + " clients completed no operation within "
          + deadline / 1_000_000_000.0 + " s after healing and settling: " + String.join(", ", stuck);
      inProgressPhase = false;
      clients.stop();
    });
    clients.run(Generators.stagger(config.opMean(), workload.generator()), this::finalReads);
  }

  private void checkProgress() {
    if (!inProgressPhase) return;
    for (Clients.Worker w : clients.workers()) if (w.oks == 0) return;
    inProgressPhase = false;
    clients.stop();
  }

  private void finalReads() {
    clients.run(workload.finalGenerator(cluster.ids()), () -> finished = true);
  }
}
